// EIP-5792's wallet_getCallsStatus answer for calls sent as one user operation (whose hash is the
// batch's id): pending until the bundler has its receipt, then the transaction that carried it.
// The passkey wallet (frontend/src/wallet/passkey.ts) and the tests' smart wallet answer with it.
import { numberToHex, type Hex } from "viem";
import type { UserOperationReceipt } from "viem/account-abstraction";

export function callsStatusOf(id: Hex, chainId: number, receipt: UserOperationReceipt | undefined) {
  const base = { version: "2.0.0", id, chainId: numberToHex(chainId), atomic: true };
  if (!receipt) return { ...base, status: 100 };
  const r = receipt.receipt;
  return {
    ...base,
    status: receipt.success ? 200 : 500,
    receipts: [{ logs: r.logs, status: receipt.success ? "0x1" : "0x0", blockHash: r.blockHash, blockNumber: numberToHex(r.blockNumber), gasUsed: numberToHex(r.gasUsed), transactionHash: r.transactionHash }],
  };
}
