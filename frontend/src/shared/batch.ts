// EIP-5792 batches (an approval and the purchase it is for, in one confirmation) for wallets that
// send them atomically: smart accounts such as the passkey wallet. Loaded on demand by the
// checkout's ERC-20 path (fan/pay.ts) and shared/tx.ts, so pages that never batch do not carry
// wagmi's EIP-5792 actions.
//
// They also carry the sponsorship service (ERC-7677's paymasterService capability) to a fan's own
// wallet when the event's organizer pays gas for such wallets and the wallet takes a paymaster.
import { encodeFunctionData, type Address, type Hash } from "viem";
import type { Config } from "wagmi";
import { getAccount, getCapabilities, readContract, sendCalls, waitForCallsStatus } from "wagmi/actions";

import { chainpassPaymasterAbi } from "../../../lib/abi/index.js";
import { absoluteUrl, network } from "../wallet/network.js";
import type { ContractCall } from "./tx.js";

/** What we read of a wallet's capabilities on our chain. */
type Capabilities = { atomic?: { status: string }; paymasterService?: { supported?: boolean } };
/** Capabilities per connection (connector and account): a wallet's do not change while connected, so it is asked once. */
const capabilitiesByConnection = new Map<string, Promise<Capabilities>>();

/** The connected wallet's EIP-5792 capabilities on our chain; rejects for a wallet without EIP-5792 (then asked again next time). */
function capabilitiesOf(config: Config): Promise<Capabilities> {
  const { connector, address } = getAccount(config);
  const key = `${connector?.uid ?? ""}:${address ?? ""}`;
  let known = capabilitiesByConnection.get(key);
  if (!known) {
    known = getCapabilities(config, { chainId: network.chainId }) as Promise<Capabilities>;
    capabilitiesByConnection.set(key, known);
    known.catch(() => capabilitiesByConnection.delete(key));
  }
  return known;
}

/** Whether the connected wallet sends atomic batches of calls (EIP-5792). */
export async function walletBatches(config: Config): Promise<boolean> {
  try {
    const capabilities = await capabilitiesOf(config);
    return capabilities.atomic?.status === "supported" || capabilities.atomic?.status === "ready";
  } catch {
    return false; // a wallet without EIP-5792
  }
}

/**
 * The sponsorship service's URL to hand the wallet with calls to `event`: when the wallet takes a
 * paymaster (EIP-5792 `paymasterService`) and the event's organizer pays gas for fans' own wallets
 * (ChainpassPaymaster.walletsSponsored). Undefined otherwise: the wallet pays as usual.
 */
export async function sponsorshipFor(config: Config, event: Address): Promise<string | undefined> {
  const passkeys = network.passkeys;
  if (!passkeys) return undefined;
  try {
    const capabilities = await capabilitiesOf(config);
    if (!capabilities.paymasterService?.supported) return undefined;
    const open = await readContract(config, { address: passkeys.paymaster, abi: chainpassPaymasterAbi, functionName: "walletsSponsored", args: [event], chainId: network.chainId });
    return open ? absoluteUrl(passkeys.paymasterUrl) : undefined;
  } catch {
    return undefined; // a wallet without EIP-5792, or the chain unreachable: the wallet pays
  }
}

/**
 * Sends `calls` as one batch (`onSent` once the wallet accepted it), with the paymaster service at
 * `paymasterUrl` if given, and waits until the wallet reports it carried out: the transaction's hash.
 */
export async function sendBatchAndWait(config: Config, calls: ContractCall[], onSent: () => void, paymasterUrl?: string): Promise<Hash> {
  const { id } = await sendCalls(config, {
    chainId: network.chainId,
    capabilities: paymasterUrl ? { paymasterService: { url: paymasterUrl } } : undefined,
    calls: calls.map((call) => ({ to: call.address, data: encodeFunctionData(call as Parameters<typeof encodeFunctionData>[0]), value: call.value })),
  });
  onSent();
  const status = await waitForCallsStatus(config, { id, timeout: 120_000 });
  const hash = status.receipts?.at(-1)?.transactionHash;
  if (status.status !== "success" || !hash) throw new Error(`the calls were not carried out (${status.status})`);
  return hash;
}
