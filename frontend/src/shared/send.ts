// Sending a contract call and waiting for its receipt: viem's transaction preparation (fees, gas,
// nonce, blobs, authorizations) and its receipt polling. Loaded on demand by shared/tx.ts when a
// page first sends, so pages that send (checkout, My tickets) do not carry it in their first load.
// Not an on-demand group of vite.config.ts: a copy would bring its own viem error classes, and
// shared/errors.ts tells a revert or a rejection apart with instanceof against the app's.
import type { Hash, TransactionReceipt } from "viem";
import type { Config } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";

import type { ContractCall } from "./tx.js";

/**
 * Simulates `call` on its chain (a revert is decoded before anything is signed), sends it
 * (`onSent` with its hash once the wallet sent it) and waits for its receipt; throws when it reverted.
 */
export async function sendAndWait(config: Config, call: ContractCall & { chainId: number }, onSent: (hash: Hash) => void): Promise<TransactionReceipt> {
  const { request } = await simulateContract(config, call as Parameters<typeof simulateContract>[1]);
  const hash = await writeContract(config, request as Parameters<typeof writeContract>[1]);
  onSent(hash);
  const receipt = await waitForTransactionReceipt(config, { hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

/** Simulates `call` (a revert is decoded before anything is signed), for calls sent some other way (a sponsored batch). */
export async function simulate(config: Config, call: ContractCall & { chainId: number }): Promise<void> {
  await simulateContract(config, call as Parameters<typeof simulateContract>[1]);
}

/** The receipt of `hash` (a batch's transaction), once mined. */
export function waitForReceipt(config: Config, hash: Hash): Promise<TransactionReceipt> {
  return waitForTransactionReceipt(config, { hash });
}
