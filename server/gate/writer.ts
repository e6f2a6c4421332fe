// Writes admissions on chain with EventTicket.checkIn, in batches, from the gate key. One
// transaction in flight at a time; each is signed and stored before it is broadcast, so after a
// crash or a restart the same signed transaction (same nonce, same hash) is sent again: nothing
// is lost and nothing is sent twice. A transaction retries until it is confirmed; if its nonce
// was spent by another transaction, its admissions are queued again.
//
// Latency matters: until its checkIn is mined, an admitted ticket could still be sold on. So the
// writer looks every `intervalMs` (250 ms by default), and a confirmed batch is followed at once
// by the next while full batches wait. It does not write every admission as it comes: at a busy
// door that would be a transaction, and a block, per scan.
//
// It runs in the gate-chain worker thread (chain-worker.ts), not on the thread that answers
// scans, and asks the node as little as it can: no gas estimation (the limit follows from the
// batch's size), fees read at most every 30 s, the contract's refusal decoded only when a
// transaction reverted. On a node that executes one request at a time, each execution of a
// batch is a moment in which every scan's freshness check waits.
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, encodeFunctionData, keccak256, type Address, type Hex } from "viem";

import { chainpassEventAbi } from "../../lib/abi/index.js";
import type { PublicClient, WalletClient } from "../chain.js";
import type { AsyncAdmissionLedger } from "./async-ledger.js";
import { checkInGasLimit, ticketsPerTransaction } from "./check-in-gas.js";
import type { BatchRow } from "./ledger.js";
import { LeaseLost, type Fence, type WriterLease } from "./writer-lease.js";

export interface WriterStatus {
  account: Address;
  running: boolean;
  lastError?: string;
  lastRunAt?: number;
  /** With PostgreSQL: whether this server holds the gate key's writer lease (only the holder writes). */
  holdsLease?: boolean;
}

const unixNow = () => Math.floor(Date.now() / 1000);

export class CheckInWriter {
  private timer?: NodeJS.Timeout;
  private busy = false;
  /** The tick under way, if any: stop() lets it end before it hands the lease back. */
  private ticking?: Promise<void>;
  /** Why the node refused a send in this tick: the status's error. */
  private sendError?: string;
  private fees?: { at: number; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; blockGasLimit: bigint };
  readonly status: WriterStatus;

  constructor(
    private readonly ledger: AsyncAdmissionLedger,
    private readonly client: PublicClient,
    private readonly wallet: WalletClient,
    private readonly options: {
      batchSize: number;
      intervalMs: number;
      onStatus?: (status: WriterStatus) => void;
      /** Gate servers on several machines (PostgreSQL): write only while holding this lease, fenced by `setFence`. */
      lease?: { lease: WriterLease; setFence: (fence: Fence | undefined) => void };
    },
  ) {
    this.status = { account: wallet.account.address, running: false };
  }

  start() {
    this.status.running = true;
    this.schedule(0);
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    // tick never rejects: it records its error in the status.
    this.timer = setTimeout(() => {
      const ticking = (this.ticking = this.tick().finally(() => {
        if (this.ticking === ticking) this.ticking = undefined;
        if (this.status.running) this.schedule(this.options.intervalMs);
      }));
    }, ms);
  }

  /**
   * Stops writing: lets the tick under way end (its batch's state recorded, not cut off mid-way),
   * then hands the lease back, so that another server writes at its next tick rather than when the
   * lease expires (a rolling restart would otherwise stop the writes for a lease's time).
   */
  async stop(): Promise<void> {
    this.status.running = false;
    clearTimeout(this.timer);
    await this.ticking;
    const lease = this.options.lease;
    if (lease && this.status.holdsLease) {
      this.status.holdsLease = false;
      lease.setFence(undefined);
      await lease.lease.release().catch(() => undefined); // not handed back: another server takes over when it expires
    }
  }

  /**
   * Settles or resends the batch in flight, or writes the next one; goes on while each is mined
   * at once (an automining node) and a full batch is waiting.
   */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      if (this.options.lease) {
        // Taken or renewed on every tick; another server's while it holds it: nothing to do here.
        const fence = await this.options.lease.lease.acquire();
        this.options.lease.setFence(fence);
        this.status.holdsLease = fence !== undefined;
        if (!fence) return;
      }
      this.sendError = undefined;
      // A batch's gas limit must fit in a block and under the per-transaction cap (else no node
      // takes it): at most that many tickets, whatever CHAINPASS_GATE_BATCH_SIZE says.
      const size = Math.min(this.options.batchSize, ticketsPerTransaction((await this.currentFees()).blockGasLimit));
      let open = await this.ledger.openBatch();
      for (;;) {
        open ??= await this.ledger.createBatch(size, unixNow());
        if (!open) break;
        if (open.state === "new" && open.tokenIds.length > size) {
          // Made before under a larger limit (another setting, another node): never signed, so
          // its admissions go back to be batched again at the size that fits.
          await this.ledger.drop(open.id, unixNow(), `${open.tokenIds.length} tickets do not fit in one transaction (at most ${size})`);
          open = undefined;
          continue;
        }
        if (open.state === "new") {
          await this.sign(open);
          open = await this.ledger.batch(open.id); // not "signed" if the contract refused it: settled as failed
        }
        if (open?.state === "signed" && (await this.push(open)) === "pending") break;
        // Settled: the next batch now only if one is open or a full one is waiting.
        open = await this.ledger.openBatch();
        if (!open && (await this.ledger.unwritten(size)) < size) break;
      }
      this.status.lastError = this.sendError;
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.options.lease?.lease.lost();
        this.options.lease?.setFence(undefined);
        this.status.holdsLease = false;
      }
      this.status.lastError = (error as Error).message.split("\n")[0];
    } finally {
      this.status.lastRunAt = Date.now();
      this.busy = false;
      this.options.onStatus?.({ ...this.status });
    }
  }

  /** Fees and the block gas limit, read at most every 30 s. */
  private async currentFees() {
    if (!this.fees || Date.now() - this.fees.at > 30_000) {
      const [fees, block] = await Promise.all([this.client.estimateFeesPerGas(), this.client.getBlock({ blockTag: "latest" })]);
      this.fees = { at: Date.now(), maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas, blockGasLimit: block.gasLimit };
    }
    return this.fees;
  }

  private async sign(batch: BatchRow) {
    const data = encodeFunctionData({ abi: chainpassEventAbi, functionName: "checkIn", args: [batch.tokenIds] });
    const account = this.wallet.account;
    const [nonce, fees] = await Promise.all([this.client.getTransactionCount({ address: account.address, blockTag: "pending" }), this.currentFees()]);
    const rawTx = await this.wallet.signTransaction({
      account,
      chain: this.wallet.chain,
      to: batch.event,
      data,
      nonce,
      gas: checkInGasLimit(batch.tokenIds.length),
      maxFeePerGas: fees.maxFeePerGas * 2n,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    await this.ledger.recordSigned(batch.id, nonce, rawTx, keccak256(rawTx));
  }

  /**
   * Settles a batch whose transaction was mined. A reverted one (the gate key lost its role, the
   * event was cancelled...) cannot succeed on a retry: the admissions stand at the gate and the
   * status says why, the reason read from the contract with one call.
   */
  private async settle(batch: BatchRow, receipt: { status: "success" | "reverted"; blockNumber: bigint }) {
    if (receipt.status === "success") return this.ledger.settle(batch.id, "confirmed", unixNow(), receipt.blockNumber);
    const data = encodeFunctionData({ abi: chainpassEventAbi, functionName: "checkIn", args: [batch.tokenIds] });
    const reason = await this.client
      .call({ account: this.wallet.account.address, to: batch.event, data })
      .then(() => "reverted")
      .catch((error: unknown) => revertReason(error) ?? "reverted");
    await this.ledger.settle(batch.id, "failed", unixNow(), receipt.blockNumber, reason);
  }

  /** Settles the batch if mined, else (re)sends it: "settled" or "pending". */
  private async push(batch: BatchRow): Promise<"settled" | "pending"> {
    const hash = batch.txHash!;
    const settleIfMined = async () => {
      const receipt = await this.client.getTransactionReceipt({ hash }).catch(() => undefined);
      if (receipt) await this.settle(batch, receipt);
      return !!receipt;
    };
    // A batch never sent is sent at once; one sent before (a restart, a slow block) is looked up first.
    if (batch.attempts > 0 && (await settleIfMined())) return "settled";
    const mined = await this.client.getTransactionCount({ address: this.wallet.account.address, blockTag: "latest" });
    if (batch.nonce !== null && mined > batch.nonce) {
      // The nonce is spent. By this transaction, if a block came between the two reads above:
      // ask for the receipt again before concluding that another transaction took the nonce.
      const late = await this.client.getTransactionReceipt({ hash }).catch(() => undefined);
      if (late) {
        await this.settle(batch, late);
        return "settled";
      }
      // Spent by another transaction: this one will never land.
      await this.ledger.drop(batch.id, unixNow(), `nonce ${batch.nonce} was used by another transaction`);
      return "settled";
    }
    try {
      await this.client.sendRawTransaction({ serializedTransaction: batch.rawTx! });
      await this.ledger.recordAttempt(batch.id);
    } catch (error) {
      const message = (error as Error).message;
      // The node already has it: fine, wait for the receipt.
      if (!/already known|already imported|known transaction/i.test(message)) {
        // viem's first line is generic ("Missing or invalid parameters."); the node's own words are a cause's details.
        const details = error instanceof BaseError ? (error.walk((e) => e instanceof BaseError && !!e.details) as BaseError | null)?.details : undefined;
        const why = details ? `${(error as BaseError).shortMessage.split("\n")[0]} ${details}` : message.split("\n")[0];
        this.sendError = `sending batch ${batch.id}: ${why}`;
        await this.ledger.recordAttempt(batch.id, why);
      }
    }
    // An automining node has mined it already.
    return (await settleIfMined()) ? "settled" : "pending";
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
