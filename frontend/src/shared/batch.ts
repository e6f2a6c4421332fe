// EIP-5792 batches (an approval and the purchase it is for, in one confirmation) for wallets that
// send them atomically: smart accounts such as the passkey wallet. Loaded on demand by the
// checkout's ERC-20 path (fan/pay.ts) and shared/tx.ts, so pages that never batch do not carry
// wagmi's EIP-5792 actions.
import { encodeFunctionData, type Hash } from "viem";
import type { Config } from "wagmi";
import { getCapabilities, sendCalls, waitForCallsStatus } from "wagmi/actions";

import { network } from "../wallet/network.js";
import type { ContractCall } from "./tx.js";

/** Whether the connected wallet sends atomic batches of calls (EIP-5792). */
export async function walletBatches(config: Config): Promise<boolean> {
  try {
    const capabilities = await getCapabilities(config, { chainId: network.chainId });
    return capabilities.atomic?.status === "supported" || capabilities.atomic?.status === "ready";
  } catch {
    return false; // a wallet without EIP-5792
  }
}

/**
 * Sends `calls` as one batch (`onSent` once the wallet accepted it) and waits until the wallet
 * reports it carried out: the transaction's hash.
 */
export async function sendBatchAndWait(config: Config, calls: ContractCall[], onSent: () => void): Promise<Hash> {
  const { id } = await sendCalls(config, {
    chainId: network.chainId,
    calls: calls.map((call) => ({ to: call.address, data: encodeFunctionData(call as Parameters<typeof encodeFunctionData>[0]), value: call.value })),
  });
  onSent();
  const status = await waitForCallsStatus(config, { id, timeout: 120_000 });
  const hash = status.receipts?.at(-1)?.transactionHash;
  if (status.status !== "success" || !hash) throw new Error(`the calls were not carried out (${status.status})`);
  return hash;
}
