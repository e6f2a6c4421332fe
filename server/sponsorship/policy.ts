// What the platform pays gas for (issue 17): the calls of a user operation, decoded from the
// account's ERC-7821 batch, must all be Chainpass actions of a fan — buying, gifting, reselling,
// returning, refunds, exchanges and credits on one Chainpass event, approving that event to take
// its currency, joining a membership program, and managing the account's own signers. The gas is
// paid from that event's budget while it covers the operation, else from the platform's; anything
// else is refused with the reason.
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
  /** The event's currency (the zero address for ETH). */
  currencyOf(event: Address): Promise<Address>;
  membership?: Address;
}

interface Call {
  target: Address;
  value: bigint;
  callData: Hex;
}

/** The calls of `callData`: an ERC-7821 `execute` in batch mode, as the passkey accounts make them. */
export function callsOf(callData: Hex): Call[] {
  let decoded: { functionName: string; args: readonly unknown[] };
  try {
    decoded = decodeFunctionData({ abi: chainpassAccountAbi, data: callData }) as typeof decoded;
  } catch {
    throw new NotSponsored("not-a-batch", "The operation is not an ERC-7821 batch of calls (execute)");
  }
  const [mode, executionData] = decoded.args as [Hex, Hex];
  if (decoded.functionName !== "execute" || mode.toLowerCase() !== BATCH_MODE) throw new NotSponsored("not-a-batch", "The operation is not an ERC-7821 batch of calls (execute)");
  try {
    return [...decodeAbiParameters(CALLS, executionData)[0]];
  } catch {
    throw new NotSponsored("not-a-batch", "The batch's calls could not be decoded");
  }
}

/**
 * The event whose actions `operation` performs (undefined when it only manages the account or
 * joins a program), or NotSponsored naming the first call that is not a fan's Chainpass action.
 */
export async function sponsoredEvent(operation: Pick<UserOperation<"0.8">, "sender" | "callData">, chain: PolicyChain): Promise<Address | undefined> {
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
    if (isAddressEqual(call.target, operation.sender)) {
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

/** The budgets that may pay, in order: the event's, then the platform's. */
export const budgetsFor = (event: Address | undefined): Address[] => (event ? [event, zeroAddress] : [zeroAddress]);

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
