// What the platform pays gas for (issue 17): the calls of a user operation, decoded from the
// account's ERC-7821 batch, must all be Chainpass actions of a fan — buying, gifting, reselling,
// returning, refunds, exchanges and credits on one Chainpass event, approving that event to take
// its currency, joining a membership program, and managing the account's own signers. The gas is
// paid from that event's budget while it covers the operation, else from the platform's; anything
// else is refused with the reason.
//
// Fans' own wallets (an EOA upgraded through EIP-7702, or another smart wallet that asks an
// ERC-7677 paymaster) are sponsored the same way, but only for an event whose organizer opened its
// budget to them (ChainpassPaymaster.walletsSponsored, which the paymaster enforces on chain too),
// and only from that budget. Their calls come in the two formats wallets use: ERC-7821 `execute`
// (OpenZeppelin's and MetaMask's accounts) and `execute`/`executeBatch` of (target, value, data)
// (eth-infinitism's Simple7702Account, Coinbase's Smart Wallet).
import { decodeAbiParameters, decodeFunctionData, isAddressEqual, zeroAddress, type Address, type Hex } from "viem";
import type { UserOperation } from "viem/account-abstraction";

import { chainpassAccountAbi, chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { BATCH_MODE } from "../../lib/smart-account/account.js";

/** A fan's actions on an event that the platform sponsors. */
export const SPONSORED_EVENT_FUNCTIONS: ReadonlySet<string> = new Set([
  "buy",
  "buyWith",
  "buyThrough",
  "buySlot",
  "buyListing",
  "gift",
  "safeTransferFrom",
  "transferFrom",
  "list",
  "updateListing",
  "cancelListing",
  "returnTicket",
  "exchangeTicket",
  "claimRefund",
  "claimRefundTo",
  "withdrawCredits",
  "withdrawCreditsTo",
]);

const ERC20_APPROVE = [{ type: "function", name: "approve", stateMutability: "nonpayable", inputs: [{ name: "spender", type: "address" }, { name: "amount", type: "uint256" }], outputs: [{ type: "bool" }] }] as const;
const CALLS = [{ type: "tuple[]", components: [{ name: "target", type: "address" }, { name: "value", type: "uint256" }, { name: "callData", type: "bytes" }] }] as const;
/** The other calling convention of smart wallets: one call, or a batch of (target, value, data). */
const WALLET_EXECUTE_ABI = [
  { type: "function", name: "execute", stateMutability: "nonpayable", inputs: [{ name: "target", type: "address" }, { name: "value", type: "uint256" }, { name: "data", type: "bytes" }], outputs: [] },
  { type: "function", name: "executeBatch", stateMutability: "nonpayable", inputs: [{ name: "calls", type: "tuple[]", components: [{ name: "target", type: "address" }, { name: "value", type: "uint256" }, { name: "data", type: "bytes" }] }], outputs: [] },
] as const;

export class NotSponsored extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PolicyChain {
  isChainpassEvent(address: Address): Promise<boolean>;
  /** Whether `sender` is a Chainpass passkey account (deployed, or deployed by this operation's factory). */
  isChainpassAccount(operation: Pick<UserOperation<"0.8">, "sender" | "factory">): Promise<boolean>;
  /** Whether the event's organizer lets its budget pay for fans' own wallets. */
  walletsSponsored(event: Address): Promise<boolean>;
  /** The event's currency (the zero address for ETH). */
  currencyOf(event: Address): Promise<Address>;
  membership?: Address;
}

interface Call {
  target: Address;
  value: bigint;
  callData: Hex;
}

/** The calls of `callData`: an ERC-7821 `execute` in batch mode (as the passkey accounts make them), or `execute`/`executeBatch` of (target, value, data). */
export function callsOf(callData: Hex): Call[] {
  const notABatch = () => new NotSponsored("not-a-batch", "The operation is not a batch of calls (ERC-7821 execute, or execute/executeBatch)");
  let decoded: { functionName: string; args: readonly unknown[] };
  try {
    decoded = decodeFunctionData({ abi: [...chainpassAccountAbi, ...WALLET_EXECUTE_ABI], data: callData }) as typeof decoded;
  } catch {
    throw notABatch();
  }
  if (decoded.functionName === "executeBatch") {
    const [calls] = decoded.args as [readonly { target: Address; value: bigint; data: Hex }[]];
    return calls.map(({ target, value, data }) => ({ target, value, callData: data }));
  }
  if (decoded.functionName !== "execute") throw notABatch();
  if (decoded.args.length === 3) {
    const [target, value, data] = decoded.args as [Address, bigint, Hex];
    return [{ target, value, callData: data }];
  }
  const [mode, executionData] = decoded.args as [Hex, Hex];
  if (mode.toLowerCase() !== BATCH_MODE) throw notABatch();
  try {
    return [...decodeAbiParameters(CALLS, executionData)[0]];
  } catch {
    throw new NotSponsored("not-a-batch", "The batch's calls could not be decoded");
  }
}

/** What an operation the policy accepts is paid from. */
export interface Sponsorable {
  /** The event whose actions it performs (undefined when it only manages the account or joins a program). */
  event: Address | undefined;
  /** Whether the sender is a fan's own wallet rather than a Chainpass passkey account. */
  ownWallet: boolean;
}

/**
 * The event whose actions `operation` performs and who sends it, or NotSponsored naming the first
 * call that is not a fan's Chainpass action (or, for a fan's own wallet, why its event does not pay).
 */
export async function sponsorable(operation: Pick<UserOperation<"0.8">, "sender" | "callData" | "factory">, chain: PolicyChain): Promise<Sponsorable> {
  const ownWallet = !(await chain.isChainpassAccount(operation));
  const event = await sponsoredEvent(operation, chain, ownWallet);
  if (!ownWallet) return { event, ownWallet };
  if (!event) throw new NotSponsored("not-a-fan-action", "A wallet of your own is sponsored only for actions on an event");
  if (!(await chain.walletsSponsored(event))) throw new NotSponsored("wallets-not-sponsored", `The organizer of ${event} pays gas only for Chainpass passkey accounts, not for other wallets`);
  return { event, ownWallet };
}

async function sponsoredEvent(operation: Pick<UserOperation<"0.8">, "sender" | "callData">, chain: PolicyChain, ownWallet: boolean): Promise<Address | undefined> {
  const calls = callsOf(operation.callData);
  if (calls.length === 0) throw new NotSponsored("no-calls", "The operation makes no calls");
  let event: Address | undefined;
  const sameEvent = (address: Address, index: number) => {
    if (event && !isAddressEqual(event, address)) throw new NotSponsored("several-events", `Call ${index + 1} is to another event than call 1's: one event per operation`);
    event = address;
  };
  // Approvals are checked once the event is known (an approval usually comes first).
  const approvals: { token: Address; spender: Address; index: number }[] = [];
  for (const [index, call] of calls.entries()) {
    const what = `Call ${index + 1} (to ${call.target})`;
    if (isAddressEqual(call.target, operation.sender) && !ownWallet) {
      const name = functionName(chainpassAccountAbi, call.callData);
      if (name !== "addSigners" && name !== "removeSigners") throw new NotSponsored("not-chainpass", `${what} is not a change of the account's signers`);
      continue;
    }
    if (chain.membership && isAddressEqual(call.target, chain.membership)) {
      if (functionName(chainpassMembershipAbi, call.callData) !== "join") throw new NotSponsored("not-chainpass", `${what} is not joining a membership program`);
      continue;
    }
    if (await chain.isChainpassEvent(call.target)) {
      const name = functionName(chainpassEventAbi, call.callData);
      if (!name || !SPONSORED_EVENT_FUNCTIONS.has(name)) throw new NotSponsored("not-a-fan-action", `${what} calls ${name ?? "an unknown function"}, which is not a fan's action the platform pays for`);
      sameEvent(call.target, index);
      continue;
    }
    const approval = decodeApprove(call.callData);
    if (approval && call.value === 0n) {
      approvals.push({ token: call.target, spender: approval, index });
      continue;
    }
    throw new NotSponsored("not-chainpass", `${what} is not a Chainpass action`);
  }
  for (const { token, spender, index } of approvals) {
    if (!(await chain.isChainpassEvent(spender))) throw new NotSponsored("not-chainpass", `Call ${index + 1} approves ${spender}, which is not a Chainpass event`);
    sameEvent(spender, index);
    const currency = await chain.currencyOf(spender);
    if (!isAddressEqual(currency, token)) throw new NotSponsored("not-chainpass", `Call ${index + 1} approves a token that is not the event's currency`);
  }
  return event;
}

/** The gas `operation` may cost at most (what the paymaster reserves from a budget). */
export function maxCostOf(op: Pick<UserOperation<"0.8">, "callGasLimit" | "verificationGasLimit" | "preVerificationGas" | "maxFeePerGas" | "paymasterVerificationGasLimit" | "paymasterPostOpGasLimit">): bigint {
  const gas = op.callGasLimit + op.verificationGasLimit + op.preVerificationGas + (op.paymasterVerificationGasLimit ?? 0n) + (op.paymasterPostOpGasLimit ?? 0n);
  return gas * op.maxFeePerGas;
}

/** The budgets that may pay, in order: the event's, then (for passkey accounts) the platform's. */
export const budgetsFor = ({ event, ownWallet }: Sponsorable): Address[] => (ownWallet ? [event!] : event ? [event, zeroAddress] : [zeroAddress]);

function functionName(abi: readonly unknown[], data: Hex): string | undefined {
  try {
    return decodeFunctionData({ abi: abi as never, data }).functionName as string;
  } catch {
    return undefined;
  }
}

function decodeApprove(data: Hex): Address | undefined {
  try {
    const { args } = decodeFunctionData({ abi: ERC20_APPROVE, data });
    return args[0];
  } catch {
    return undefined;
  }
}
