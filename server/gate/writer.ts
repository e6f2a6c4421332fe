// Writes admissions on chain with EventTicket.checkIn, in batches, from the gate key. One
// transaction in flight at a time; each is signed and stored before it is broadcast, so after a
// crash or a restart the same signed transaction (same nonce, same hash) is sent again: nothing
// is lost and nothing is sent twice. A transaction retries until it is confirmed; if its nonce
// was spent by another transaction, its admissions are queued again.
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, encodeFunctionData, keccak256, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import type { PublicClient, WalletClient } from "../chain.js";
import type { AdmissionLedger, BatchRow } from "./ledger.js";

export interface WriterStatus {
  account: Address;
  running: boolean;
  lastError?: string;
  lastRunAt?: number;
}

const unixNow = () => Math.floor(Date.now() / 1000);

export class CheckInWriter {
  private timer?: NodeJS.Timeout;
  private busy = false;
  readonly status: WriterStatus;

  constructor(
    private readonly ledger: AdmissionLedger,
    private readonly client: PublicClient,
    private readonly wallet: WalletClient,
    private readonly options: { batchSize: number; intervalMs: number },
  ) {
    this.status = { account: wallet.account.address, running: false };
  }

  start() {
    this.status.running = true;
    // tick never rejects: it records its error in the status.
    const loop = async () => {
      await this.tick();
      if (this.status.running) this.timer = setTimeout(() => void loop(), this.options.intervalMs);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  stop() {
    this.status.running = false;
    clearTimeout(this.timer);
  }

  /** One step: settle or resend the batch in flight, or start the next one. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const open = this.ledger.openBatch() ?? this.ledger.createBatch(this.options.batchSize, unixNow());
      if (open?.state === "new") await this.sign(open);
      const signed = this.ledger.openBatch();
      if (signed?.state === "signed") await this.push(signed);
      this.status.lastError = undefined;
    } catch (error) {
      this.status.lastError = (error as Error).message.split("\n")[0];
    } finally {
      this.status.lastRunAt = Date.now();
      this.busy = false;
    }
  }

  private async sign(batch: BatchRow) {
    const data = encodeFunctionData({ abi: chainpassEventAbi, functionName: "checkIn", args: [batch.tokenIds] });
    const account = this.wallet.account;
    let gas: bigint;
    try {
      gas = await this.client.estimateGas({ account, to: batch.event, data });
    } catch (error) {
      const reverted = revertReason(error);
      if (reverted) {
        // The contract refuses (the gate key lost its role, the event was cancelled...): retrying
        // cannot help. The admissions stand at the gate; the status reports the reason.
        this.ledger.settle(batch.id, "failed", unixNow(), undefined, reverted);
        return;
      }
      throw error; // RPC down: try again next tick
    }
    const [nonce, fees] = await Promise.all([
      this.client.getTransactionCount({ address: account.address, blockTag: "pending" }),
      this.client.estimateFeesPerGas(),
    ]);
    const rawTx = await this.wallet.signTransaction({
      account,
      chain: this.wallet.chain,
      to: batch.event,
      data,
      nonce,
      gas: (gas * 12n) / 10n,
      maxFeePerGas: fees.maxFeePerGas * 2n,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    this.ledger.recordSigned(batch.id, nonce, rawTx, keccak256(rawTx));
  }

  private async push(batch: BatchRow) {
    const hash = batch.txHash!;
    const receipt = await this.client.getTransactionReceipt({ hash }).catch(() => undefined);
    if (receipt) {
      this.ledger.settle(batch.id, receipt.status === "success" ? "confirmed" : "failed", unixNow(), receipt.blockNumber);
      return;
    }
    const mined = await this.client.getTransactionCount({ address: this.wallet.account.address, blockTag: "latest" });
    if (batch.nonce !== null && mined > batch.nonce) {
      // The nonce is spent. By this transaction, if a block came between the two reads above:
      // ask for the receipt again before concluding that another transaction took the nonce.
      const late = await this.client.getTransactionReceipt({ hash }).catch(() => undefined);
      if (late) {
        this.ledger.settle(batch.id, late.status === "success" ? "confirmed" : "failed", unixNow(), late.blockNumber);
        return;
      }
      // Spent by another transaction: this one will never land.
      this.ledger.drop(batch.id, unixNow(), `nonce ${batch.nonce} was used by another transaction`);
      return;
    }
    try {
      await this.client.sendRawTransaction({ serializedTransaction: batch.rawTx! });
      this.ledger.recordAttempt(batch.id);
    } catch (error) {
      const message = (error as Error).message;
      // The node already has it: fine, wait for the receipt.
      if (!/already known|already imported|known transaction/i.test(message)) this.ledger.recordAttempt(batch.id, message.split("\n")[0]);
    }
  }
}

function revertReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) return reverted.data?.errorName ?? reverted.shortMessage;
  const data = (error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null)?.data;
  if (data && data.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi: chainpassEventAbi, data });
      return `${decoded.errorName}(${(decoded.args ?? []).join(", ")})`;
    } catch {
      return data;
    }
  }
  return /revert/i.test(error.message) ? error.shortMessage : undefined;
}
