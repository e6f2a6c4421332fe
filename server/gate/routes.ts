// /gate/:event: scan a pass (staff with the event's GATE role), the gate's status, and which of
// some tickets the door has admitted (public: the app shows such tickets as used before their
// checkIn is mined).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bytesToHex, getAddress, isAddress, type Address, type Hex } from "viem";

import { BACKUP_CODE_DIGITS, BACKUP_CODE_STEP_SECONDS, MAX_BACKUP_CODE_LENGTH, MAX_PASS_TEXT_LENGTH } from "../../lib/pass/index.js";
import { requireSession } from "../auth/routes.js";
import { eventOrReply, staffSnapshotOrReply } from "./event-guards.js";
import { NotGateStaff, type GateService, type ScanOutcome } from "./service.js";
import { MAX_LOOKUP_QUERY_LENGTH } from "./lookup.js";
import type { EventSnapshot } from "./snapshot.js";

/**
 * HTTP status per refusal: 409 for a ticket already used, 403 for a denied holder, 503 when the
 * answer needs the chain and the chain cannot be read, else 422.
 */
const STATUS: Record<string, number> = {
  malformed: 400,
  "already-used": 409,
  denied: 403,
  "event-cancelled": 409,
  "door-not-open": 409,
  "cannot-verify-offline": 503,
  "backup-code-locked": 429,
};

/** Token ids one `admitted` request may ask about. */
const MAX_ADMITTED_QUERY = 1000;

type EventParams = { Params: { event: string } };
type WithSnapshot = FastifyRequest & { snapshot: EventSnapshot };

/**
 * Backup-code registrations are public (a fan's phone asks), and one whose delegation the gate has
 * not seen costs a secp256k1 recovery on the scan's thread: at most `registrationsPerSecond` in
 * all (`CHAINPASS_GATE_REGISTRATIONS_PER_SECOND`, 50), so a flood of made-up ones cannot slow the
 * door (a refused phone asks again later; its QR works).
 */
export function registerGate(app: FastifyInstance, gate: GateService, registrationsPerSecond: number) {
  /** A staff route's pre-handler: the event's snapshot for the handler, or the reply that says why not. */
  async function staffOnly(request: FastifyRequest<EventParams>, reply: FastifyReply) {
    const snapshot = await staffSnapshotOrReply(gate, request.params.event, request.session!.address, reply);
    if (!snapshot) return reply;
    (request as WithSnapshot).snapshot = snapshot;
  }

  /** The scan's outcome as the HTTP answer; a role revoked while scanning is the staff check's 403. */
  const answer = async (decide: () => Promise<ScanOutcome>, reply: FastifyReply) => {
    let outcome: ScanOutcome;
    try {
      outcome = await decide();
    } catch (error) {
      if (error instanceof NotGateStaff) return reply.code(403).send({ error: "not-gate-staff", message: error.message });
      throw error;
    }
    return outcome.verdict === "admit" ? outcome : reply.code(STATUS[outcome.reason] ?? 422).send(outcome);
  };

  // A pass (its QR text) or, typed by hand, its backup code: one of the two.
  app.post<EventParams & { Body: { pass?: string; backupCode?: string } }>(
    "/gate/:event/scan",
    {
      preHandler: [requireSession, staffOnly],
      schema: {
        body: {
          type: "object",
          oneOf: [{ required: ["pass"] }, { required: ["backupCode"] }],
          additionalProperties: false,
          properties: {
            pass: { type: "string", minLength: 1, maxLength: MAX_PASS_TEXT_LENGTH },
            backupCode: { type: "string", minLength: 1, maxLength: MAX_BACKUP_CODE_LENGTH },
          },
        },
      },
    },
    async (request, reply) => {
      const { snapshot } = request as WithSnapshot;
      const staff = request.session!.address;
      const { pass, backupCode } = request.body;
      return answer(() => (pass !== undefined ? gate.scan(snapshot, pass, staff) : gate.scanBackupCode(snapshot, backupCode!, staff)), reply);
    },
  );

  // Staff looking a ticket up by seat, holder or number, and admitting it with a confirmation.
  app.get<EventParams & { Querystring: { q: string } }>(
    "/gate/:event/lookup",
    {
      preHandler: [requireSession, staffOnly],
      schema: { querystring: { type: "object", required: ["q"], properties: { q: { type: "string", minLength: 1, maxLength: MAX_LOOKUP_QUERY_LENGTH } } } },
    },
    async (request) => gate.lookUp((request as WithSnapshot).snapshot, request.query.q),
  );

  app.post<EventParams & { Body: { tokenId: string; holder: Address } }>(
    "/gate/:event/admit",
    {
      preHandler: [requireSession, staffOnly],
      schema: {
        body: {
          type: "object",
          required: ["tokenId", "holder"],
          additionalProperties: false,
          properties: { tokenId: { type: "string", pattern: "^[0-9]{1,20}$" }, holder: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } },
        },
      },
    },
    async (request, reply) => {
      const { tokenId, holder } = request.body;
      return answer(() => gate.admitLookedUp((request as WithSnapshot).snapshot, BigInt(tokenId), getAddress(holder), request.session!.address), reply);
    },
  );

  // A fan's phone registering its pass for backup codes (public: the proof is the pass key's signature).
  let registrations = { second: 0, count: 0 };
  /** Counts a registration (a backup code's or a delegation's); true past the second's allowance. */
  const tooManyRegistrations = () => {
    const second = Math.floor(Date.now() / 1000);
    if (registrations.second !== second) registrations = { second, count: 0 };
    return ++registrations.count > registrationsPerSecond;
  };
  app.post<EventParams & { Body: { pass: string; proof: Hex } }>(
    "/gate/:event/backup-codes",
    {
      schema: {
        body: {
          type: "object",
          required: ["pass", "proof"],
          additionalProperties: false,
          properties: { pass: { type: "string", minLength: 1, maxLength: MAX_PASS_TEXT_LENGTH }, proof: { type: "string", pattern: "^0x[0-9a-fA-F]{128}$" } },
        },
      },
    },
    async (request, reply) => {
      if (tooManyRegistrations()) {
        return reply.code(429).header("retry-after", "1").send({ error: "busy", message: "The gate is registering many passes now; try again in a moment" });
      }
      const snapshot = await eventOrReply(gate, request.params.event, reply);
      if (!snapshot) return reply;
      const result = await gate.registerBackupCode(snapshot, request.body.pass, request.body.proof);
      if (!result.ok) return reply.code(result.reason === "malformed" ? 400 : result.reason === "cannot-verify-offline" ? 503 : 422).send({ error: result.reason, message: result.message });
      reply.header("cache-control", "no-store");
      return { secret: bytesToHex(result.secret), digits: BACKUP_CODE_DIGITS, stepSeconds: BACKUP_CODE_STEP_SECONDS };
    },
  );

  // A fan's app registering a delegation signature too long for the QR code (a smart account's,
  // ERC-1271): public, checked with the holder's wallet, rate-limited with the backup codes.
  app.post<EventParams & { Body: { delegation: { chainId: string; ticket: string; tokenId: string; passKey: string; validUntil: number }; holder: string; signature: string } }>(
    "/gate/:event/delegations",
    {
      schema: {
        body: {
          type: "object",
          required: ["delegation", "holder", "signature"],
          additionalProperties: false,
          properties: {
            delegation: {
              type: "object",
              required: ["chainId", "ticket", "tokenId", "passKey", "validUntil"],
              additionalProperties: false,
              properties: {
                chainId: { type: "string", pattern: "^[0-9]{1,20}$" },
                ticket: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
                tokenId: { type: "string", pattern: "^[0-9]{1,20}$" },
                passKey: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" },
                validUntil: { type: "integer", minimum: 0, maximum: 1099511627775 },
              },
            },
            holder: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
            // A passkey account's ERC-7739 signature is about 900 bytes; 4 KB bounds the wallet's work.
            signature: { type: "string", pattern: "^0x([0-9a-fA-F]{2}){256,4096}$" },
          },
        },
      },
    },
    async (request, reply) => {
      if (tooManyRegistrations()) {
        return reply.code(429).header("retry-after", "1").send({ error: "busy", message: "The gate is registering many passes now; try again in a moment" });
      }
      const snapshot = await eventOrReply(gate, request.params.event, reply);
      if (!snapshot) return reply;
      const { delegation, holder, signature } = request.body;
      const result = await gate.registerDelegation(
        snapshot,
        { chainId: BigInt(delegation.chainId), ticket: getAddress(delegation.ticket), tokenId: BigInt(delegation.tokenId), passKey: delegation.passKey as Hex, validUntil: delegation.validUntil },
        getAddress(holder),
        signature as Hex,
      );
      if (!result.ok) return reply.code(result.reason === "malformed" ? 400 : result.reason === "cannot-verify-offline" ? 503 : 422).send({ error: result.reason, message: result.message });
      return { registered: true };
    },
  );

  app.get<EventParams>("/gate/:event/status", { preHandler: [requireSession, staffOnly] }, async (request) => {
    const status = await gate.status((request as WithSnapshot).snapshot);
    // The gate's clock, read last: offline, a scanner checks frame times against it (gate-clock.ts).
    return { ...status, writer: gate.chain.writerStatus, serverTimeMs: Date.now() };
  });

  app.get<EventParams & { Querystring: { tokens?: string } }>("/gate/:event/admitted", async (request, reply) => {
    const { event } = request.params;
    if (!isAddress(event, { strict: false })) return reply.code(404).send({ error: "unknown-event", message: `${event} is not an address` });
    const list = (request.query.tokens ?? "").split(",").filter(Boolean);
    if (list.length > MAX_ADMITTED_QUERY) return reply.code(400).send({ error: "too-many-tokens", message: `Ask about at most ${MAX_ADMITTED_QUERY} tickets at once` });
    if (!list.every((t) => /^\d{1,78}$/.test(t))) return reply.code(400).send({ error: "invalid-token-id", message: "tokens is a comma-separated list of token ids" });
    reply.header("cache-control", "no-store");
    return { event, admitted: (await gate.ledger.admittedAmong(event, list.map((t) => BigInt(t)))).map(String) };
  });
}
