// /events/:event/vouchers and /events/:event/allowlists: organizers store what they signed or
// built off chain; fans fetch a voucher by its code and their allowlist proof by address.
//
//   POST /events/:event/vouchers                 organizer: { code, voucher, signature }
//   GET  /events/:event/vouchers                 organizer: every issued code
//   GET  /events/:event/vouchers/:code           anyone: the signed voucher for a typed code
//   PUT  /events/:event/allowlists/:tier         organizer: { csv } -> { root, entries }
//   GET  /events/:event/allowlists/:tier/:address  anyone: { proof, allowance, root }
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { getAddress, isAddress, isAddressEqual, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import { buildAllowlist, loadAllowlist, parseAllowlistCsv } from "../../lib/allowlist.js";
import { VOUCHER_TYPES, codeIdFor, voucherDomain, type Voucher } from "../../lib/vouchers.js";
import { requireSession } from "../auth/routes.js";
import type { PublicClient } from "../chain.js";
import type { OffersStore } from "./store.js";

const ORGANIZER_ROLE = `0x${"00".repeat(32)}` as Hex;
const unixNow = () => Math.floor(Date.now() / 1000);

type EventParams = { Params: { event: string } };

function refuse(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

export function registerOffers(scope: FastifyInstance, deps: { store: OffersStore; client: PublicClient; chainId: number }) {
  const { store, client } = deps;

  async function hasRole(event: Address, role: Hex, account: Address) {
    return client.readContract({ address: event, abi: chainpassEventAbi, functionName: "hasRole", args: [role, account] });
  }

  function eventOf(request: FastifyRequest<EventParams>, reply: FastifyReply): Address | undefined {
    const { event } = request.params;
    if (!isAddress(event, { strict: false })) {
      refuse(reply, 404, "unknown-event", `${event} is not an address`);
      return undefined;
    }
    return getAddress(event);
  }

  /** preHandler: the signed-in account holds the event's ORGANIZER role (read on chain). */
  async function organizerOnly(request: FastifyRequest<EventParams>, reply: FastifyReply) {
    const event = eventOf(request, reply);
    if (!event) return;
    const ok = await hasRole(event, ORGANIZER_ROLE, request.session!.address).catch(() => undefined);
    if (ok === undefined) return refuse(reply, 404, "unknown-event", `No Chainpass event at ${event}`);
    if (!ok) return refuse(reply, 403, "not-organizer", `${request.session!.address} is not an organizer of this event`);
  }

  scope.post<EventParams & { Body: { code: string; voucher: Record<string, string | number>; signature: Hex } }>(
    "/events/:event/vouchers",
    {
      preHandler: [requireSession, organizerOnly],
      schema: {
        body: {
          type: "object",
          required: ["code", "voucher", "signature"],
          additionalProperties: false,
          properties: {
            code: { type: "string", minLength: 1, maxLength: 32 },
            voucher: { type: "object" },
            signature: { type: "string", pattern: "^0x[0-9a-fA-F]+$", maxLength: 2048 },
          },
        },
      },
    },
    async (request, reply) => {
      const event = getAddress(request.params.event);
      const { code, signature } = request.body;
      let voucher: Voucher;
      try {
        voucher = parseVoucher(request.body.voucher);
      } catch (error) {
        return refuse(reply, 400, "invalid-voucher", (error as Error).message);
      }
      if (voucher.codeId !== codeIdFor(code)) return refuse(reply, 400, "code-mismatch", `the voucher's code id is not the code "${code}"`);
      if (!isAddressEqual(voucher.eventAddress, event)) return refuse(reply, 400, "wrong-event", "the voucher is for another event");
      const [organizer, signer] = await Promise.all([
        hasRole(event, ORGANIZER_ROLE, voucher.signer),
        hasRole(event, await voucherSignerRole(event), voucher.signer),
      ]);
      if (!organizer && !signer) return refuse(reply, 400, "signer-not-authorized", `${voucher.signer} may not sign vouchers for this event`);
      const valid = await client
        .verifyTypedData({ address: voucher.signer, domain: voucherDomain(deps.chainId, event), types: VOUCHER_TYPES, primaryType: "Voucher", message: { ...voucher }, signature })
        .catch(() => false);
      if (!valid) return refuse(reply, 400, "bad-signature", "the signature is not the signer's over this voucher");
      store.saveVoucher(event, voucher.codeId, { code: code.trim().toUpperCase(), voucher: serializeVoucher(voucher), signature, createdBy: request.session!.address, createdAt: unixNow() });
      return reply.code(201).send({ code: code.trim().toUpperCase(), codeId: voucher.codeId });
    },
  );

  scope.get<EventParams>("/events/:event/vouchers", { preHandler: [requireSession, organizerOnly] }, async (request) => {
    return { vouchers: store.vouchers(getAddress(request.params.event)) };
  });

  scope.get<EventParams & { Params: { code: string } }>("/events/:event/vouchers/:code", async (request, reply) => {
    const event = eventOf(request, reply);
    if (!event) return;
    let codeId: Hex;
    try {
      codeId = codeIdFor(request.params.code);
    } catch (error) {
      return refuse(reply, 400, "invalid-code", (error as Error).message);
    }
    const found = store.voucher(event, codeId);
    if (!found) return refuse(reply, 404, "unknown-code", `No voucher "${request.params.code}" for this event`);
    return { code: found.code, voucher: found.voucher, signature: found.signature };
  });

  scope.put<EventParams & { Params: { tier: string }; Body: { csv: string } }>(
    "/events/:event/allowlists/:tier",
    {
      preHandler: [requireSession, organizerOnly],
      schema: {
        params: { type: "object", properties: { event: { type: "string" }, tier: { type: "string", pattern: "^[1-9][0-9]{0,2}$" } } },
        body: { type: "object", required: ["csv"], additionalProperties: false, properties: { csv: { type: "string", minLength: 1, maxLength: 2_000_000 } } },
      },
    },
    async (request, reply) => {
      let list;
      try {
        list = buildAllowlist(parseAllowlistCsv(request.body.csv));
      } catch (error) {
        return refuse(reply, 400, "invalid-allowlist", (error as Error).message);
      }
      store.saveAllowlist(getAddress(request.params.event), Number(request.params.tier), list.root, list.dump(), request.session!.address, unixNow());
      return { root: list.root, entries: list.entries.length };
    },
  );

  scope.get<EventParams & { Params: { tier: string; address: string } }>("/events/:event/allowlists/:tier/:address", async (request, reply) => {
    const event = eventOf(request, reply);
    if (!event) return;
    if (!isAddress(request.params.address, { strict: false })) return refuse(reply, 400, "invalid-address", `${request.params.address} is not an address`);
    const stored = store.allowlist(event, Number(request.params.tier));
    if (!stored) return refuse(reply, 404, "no-allowlist", "This tier has no allowlist");
    const entry = loadAllowlist(stored.tree).proofFor(getAddress(request.params.address));
    if (!entry) return refuse(reply, 404, "not-listed", `${request.params.address} is not on the allowlist`);
    return { root: stored.root, proof: entry.proof, allowance: entry.allowance.toString() };
  });

  const signerRoles = new Map<string, Hex>();
  async function voucherSignerRole(event: Address): Promise<Hex> {
    let role = signerRoles.get(event);
    if (!role) {
      role = await client.readContract({ address: event, abi: chainpassEventAbi, functionName: "VOUCHER_SIGNER_ROLE" });
      signerRoles.set(event, role);
    }
    return role;
  }
}

/** A voucher as JSON (bigints as decimal strings) to the typed Voucher, checking every field. */
export function parseVoucher(json: Record<string, unknown>): Voucher {
  const address = (name: string) => {
    const value = json[name];
    if (typeof value !== "string" || !isAddress(value, { strict: false })) throw new Error(`${name} must be an address`);
    return getAddress(value);
  };
  const integer = (name: string, max: bigint) => {
    const value = json[name];
    if ((typeof value !== "string" && typeof value !== "number") || !/^\d+$/.test(String(value))) throw new Error(`${name} must be a whole number`);
    const n = BigInt(value);
    if (n > max) throw new Error(`${name} is too large`);
    return n;
  };
  const codeId = json.codeId;
  if (typeof codeId !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(codeId)) throw new Error("codeId must be 32 bytes of hex");
  return {
    eventAddress: address("eventAddress"),
    tierId: integer("tierId", (1n << 256n) - 1n),
    percentOffBps: Number(integer("percentOffBps", 10_000n)),
    amountOff: integer("amountOff", (1n << 96n) - 1n),
    maxUses: Number(integer("maxUses", (1n << 32n) - 1n)),
    expiresAt: Number(integer("expiresAt", (1n << 40n) - 1n)),
    buyer: address("buyer"),
    signer: address("signer"),
    codeId: codeId.toLowerCase() as Hex,
  };
}

export function serializeVoucher(v: Voucher): Record<string, string | number> {
  return { ...v, tierId: v.tierId.toString(), amountOff: v.amountOff.toString() };
}
