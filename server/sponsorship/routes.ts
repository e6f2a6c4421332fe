// The gas sponsorship service (issue 17): ERC-7677's paymaster web service, which wallets and viem's
// bundler client call before sending a user operation:
//
//   POST /paymaster   JSON-RPC 2.0
//     pm_getPaymasterStubData [userOperation, entryPoint, chainId, context] -> paymaster, stub data and gas limits
//     pm_getPaymasterData     [userOperation, entryPoint, chainId, context] -> paymaster and signed data
//
// Both check the operation against the policy (./policy.ts), the account's daily limit and the
// budgets on chain; a refusal is a JSON-RPC error whose data names the reason (`not-chainpass`,
// `daily-limit`, `budget-exhausted`, …), never an HTTP error. The signed data is valid for a few
// minutes and names the budget that pays.
import type { FastifyInstance } from "fastify";
import { isAddress, isAddressEqual, isHex, keccak256, numberToHex, type Address, type Hex, type LocalAccount } from "viem";
import { formatUserOperation, type RpcUserOperation, type UserOperation } from "viem/account-abstraction";

import { chainpassAccountFactoryAbi, chainpassEventAbi, chainpassPaymasterAbi } from "../../lib/abi/index.js";
import { encodePaymasterData, sponsorshipTypedData, STUB_SPONSOR_SIGNATURE } from "../../lib/smart-account/sponsorship.js";
import type { PublicClient } from "../chain.js";
import { ChainpassEvents, ChainUnavailable, cloneCode, readChain } from "../chainpass-events.js";
import { budgetsFor, maxCostOf, NotSponsored, sponsorable, type PolicyChain } from "./policy.js";
import type { SponsorshipStore } from "./store.js";

/** Gas the paymaster's validation and postOp take at most (ChainpassPaymaster; bench:gas measures them). */
export const PAYMASTER_GAS = { verification: 80_000n, postOp: 60_000n } as const;
/** How long a signed sponsorship stays valid: long enough for a bundler to include it. */
const VALID_FOR_SECONDS = 600;

export interface SponsorshipDeps {
  client: PublicClient;
  factory: Address;
  membership?: Address;
  chainId: number;
  entryPoint: Address;
  paymaster: Address;
  sponsor: LocalAccount;
  store: SponsorshipStore;
  /** User operations an account may have sponsored per UTC day. */
  dailyLimit: number;
  now?: () => number;
}

interface RpcRequest {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: unknown;
}

export function registerSponsorship(scope: FastifyInstance, deps: SponsorshipDeps) {
  const events = new ChainpassEvents(deps.client, deps.factory);
  const currencies = new Map<string, Address>();
  const paymasterRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    readChain(() => deps.client.readContract({ address: deps.paymaster, abi: chainpassPaymasterAbi, functionName, args } as never) as Promise<T>);
  let accountCodeHash: Promise<Hex> | undefined;
  // Senders seen deployed with the passkey account's code: a clone's code never changes (an EOA's
  // EIP-7702 delegation can, so only deployed clones are remembered), and the stub and the final
  // answer of one operation, and every later one, need not read it again.
  const knownAccounts = new Set<string>();
  const chain: PolicyChain = {
    isChainpassEvent: (address) => events.isChainpassEvent(address),
    membership: deps.membership,
    // The paymaster checks the deployed code on chain; this only picks the policy and budget.
    async isChainpassAccount({ sender, factory }) {
      accountCodeHash ??= paymasterRead<Hex>("ACCOUNT_CODE_HASH").catch((error: unknown) => {
        accountCodeHash = undefined;
        throw error;
      });
      if (knownAccounts.has(sender.toLowerCase())) return true;
      const code = await readChain(() => deps.client.getCode({ address: sender }));
      if (code && code !== "0x") {
        const isClone = keccak256(code) === (await accountCodeHash);
        if (isClone) remember(knownAccounts, sender.toLowerCase());
        return isClone;
      }
      if (!factory) return false;
      // Not deployed yet: its factory must make clones of the passkey account.
      const implementation = await readChain(() => deps.client.readContract({ address: factory, abi: chainpassAccountFactoryAbi, functionName: "IMPLEMENTATION" })).catch((error: unknown) => {
        if (error instanceof ChainUnavailable) throw error;
        return undefined;
      });
      return implementation !== undefined && keccak256(cloneCode(implementation)) === (await accountCodeHash);
    },
    walletsSponsored: (event) => paymasterRead<boolean>("walletsSponsored", [event]),
    async currencyOf(event) {
      const known = currencies.get(event.toLowerCase());
      if (known) return known;
      const info = await readChain(() => deps.client.readContract({ address: event, abi: chainpassEventAbi, functionName: "eventInfo" }));
      currencies.set(event.toLowerCase(), info.currency);
      return info.currency;
    },
  };
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));

  /** The operation and what it asks, checked; or NotSponsored. */
  async function check(params: unknown): Promise<UserOperation<"0.8">> {
    if (!Array.isArray(params) || params.length < 3) throw new NotSponsored("bad-request", "Expected [userOperation, entryPoint, chainId, context]");
    const [raw, entryPoint, chainId] = params as [RpcUserOperation<"0.8">, string, string];
    if (typeof entryPoint !== "string" || !isAddress(entryPoint, { strict: false }) || !isAddressEqual(entryPoint, deps.entryPoint)) {
      throw new NotSponsored("unknown-entrypoint", `Only EntryPoint ${deps.entryPoint} (v0.8) is sponsored`);
    }
    if (typeof chainId !== "string" || !isHex(chainId) || Number(chainId) !== deps.chainId) throw new NotSponsored("wrong-chain", `This service sponsors chain ${deps.chainId} only`);
    let op: UserOperation<"0.8">;
    try {
      op = formatUserOperation(raw) as UserOperation<"0.8">;
      if (!isAddress(op.sender, { strict: false }) || !isHex(op.callData) || typeof op.nonce !== "bigint") throw new Error();
    } catch {
      throw new NotSponsored("bad-request", "The user operation is malformed");
    }
    return op;
  }

  async function budgetFor(op: UserOperation<"0.8">, final: boolean): Promise<Address> {
    const sponsored = await sponsorable(op, chain);
    const used = deps.store.countToday(op.sender, op.nonce, now());
    if (used >= deps.dailyLimit) throw new NotSponsored("daily-limit", `This account has had ${used} operations sponsored today, the most a day (${deps.dailyLimit})`);
    // The stub does not know the final gas: any budget with something left will do for estimation.
    const needed = final ? maxCostOf({ ...op, paymasterVerificationGasLimit: op.paymasterVerificationGasLimit ?? PAYMASTER_GAS.verification, paymasterPostOpGasLimit: op.paymasterPostOpGasLimit ?? PAYMASTER_GAS.postOp }) : 1n;
    for (const budget of budgetsFor(sponsored)) {
      if ((await paymasterRead<bigint>("budgetOf", [budget])) >= needed) return budget;
    }
    const { event, ownWallet } = sponsored;
    throw new NotSponsored(
      "budget-exhausted",
      ownWallet ? `The event's gas budget does not cover this operation (${needed} wei at most)` : event ? `Neither the event's gas budget nor the platform's covers this operation (${needed} wei at most)` : `The platform's gas budget does not cover this operation`,
    );
  }

  async function answer(method: string, params: unknown) {
    const op = await check(params);
    if (method === "pm_getPaymasterStubData") {
      const budget = await budgetFor(op, false);
      return {
        paymaster: deps.paymaster,
        paymasterData: encodePaymasterData({ validAfter: 0, validUntil: 0, budget }, STUB_SPONSOR_SIGNATURE),
        paymasterVerificationGasLimit: numberToHex(PAYMASTER_GAS.verification),
        paymasterPostOpGasLimit: numberToHex(PAYMASTER_GAS.postOp),
        sponsor: { name: "Chainpass" },
        isFinal: false,
      };
    }
    const budget = await budgetFor(op, true);
    const terms = { validAfter: 0, validUntil: now() + VALID_FOR_SECONDS, budget };
    const gasLimited = { ...op, paymaster: deps.paymaster, paymasterVerificationGasLimit: op.paymasterVerificationGasLimit ?? PAYMASTER_GAS.verification, paymasterPostOpGasLimit: op.paymasterPostOpGasLimit ?? PAYMASTER_GAS.postOp };
    const signature = await deps.sponsor.signTypedData(sponsorshipTypedData(gasLimited, terms, { chainId: deps.chainId, paymaster: deps.paymaster }));
    deps.store.record(op.sender, op.nonce, budget, now());
    return { paymaster: deps.paymaster, paymasterData: encodePaymasterData(terms, signature) };
  }

  scope.post<{ Body: RpcRequest }>("/paymaster", async (request) => {
    const body = request.body ?? {};
    const id = body.id ?? null;
    const method = body.method;
    if (method !== "pm_getPaymasterStubData" && method !== "pm_getPaymasterData") {
      return { jsonrpc: "2.0", id, error: { code: -32601, message: `Unknown method ${String(method)}: this service answers pm_getPaymasterStubData and pm_getPaymasterData` } };
    }
    try {
      return { jsonrpc: "2.0", id, result: await answer(method, body.params) };
    } catch (error) {
      if (error instanceof NotSponsored) return { jsonrpc: "2.0", id, error: { code: -32602, message: error.message, data: { reason: error.reason } } };
      if (error instanceof ChainUnavailable) return { jsonrpc: "2.0", id, error: { code: -32603, message: error.message, data: { reason: "chain-unavailable" } } };
      throw error;
    }
  });
}

const MAX_KNOWN_ACCOUNTS = 100_000;

/** Adds to a set with a size bound (oldest out). */
function remember(set: Set<string>, key: string) {
  if (set.size >= MAX_KNOWN_ACCOUNTS) set.delete(set.values().next().value as string);
  set.add(key);
}
