// The admission ledger's API as promises, so that one gate service can run on either back end:
// the embedded SQLite ledger (ledger.ts, synchronous, wrapped by SqliteLedgerAdapter) or the
// PostgreSQL one (pg-ledger.ts) that gate servers on several machines share. Both keep the same
// rules, checked by one shared test suite (test/server/pg-ledger.test.ts):
// - of any number of gates admitting one ticket at once, exactly one gets true;
// - token ids are exact for any uint256;
// - an admission is in at most one live batch; a dropped batch's admissions go back to the queue.

import type { Address, Hex } from "viem";

import type { FedAdmissions } from "../../lib/offline-admissions.js";
import { asPromise, writeWithoutSleeping } from "../db.js";
import type { AdmissionLedger, AdmissionMethod, BatchRow } from "./ledger.js";

export type AdmissionCounts = ReturnType<AdmissionLedger["counts"]>;

export interface AsyncAdmissionLedger {
  /** True if this call admitted the ticket; false if any gate admitted it before. */
  tryAdmit(event: Address, tokenId: bigint, staff: Address, holder: Address, now: number, method?: AdmissionMethod): Promise<boolean>;
  /** The organizer undid the check-in on chain in `block`: forget the admission that check-in wrote. */
  forget(event: Address, tokenId: bigint, block: bigint): Promise<void>;
  /** Whether this process has seen the ticket admitted (a local cache: no query). */
  admittedByThisGate(event: Address, tokenId: bigint): boolean;
  /** Whether `hash` is the transaction of one of the ledger's check-in batches (any gate's). */
  isOwnTransaction(hash: Hex): Promise<boolean>;
  isAdmitted(event: Address, tokenId: bigint): Promise<boolean>;
  /** Of `tokenIds`, those any gate has admitted at this event (in the order given). */
  admittedAmong(event: Address, tokenIds: bigint[]): Promise<bigint[]>;
  /** Token ids of every ticket admitted at this event, by any gate: a JSON array of decimal strings. */
  admittedTokenIdsJson(event: Address): Promise<string>;
  /** Where the used-ticket feed stands now: every admission before it is committed (read it before the list it goes with). */
  usedFeedCursor(): Promise<string>;
  /** The event's admissions after `cursor` (with who admitted each), and the next cursor; undefined when there are more than `limit`. */
  admittedSince(event: Address, cursor: bigint, limit: number): Promise<FedAdmissions | undefined>;
  /** The events with an admission at or after `since` (unix seconds), by any gate. */
  eventsAdmittedSince(since: number): Promise<Address[]>;
  /** Milliseconds from each admission to the writer seeing its checkIn mined (confirmed batches). */
  admissionToChainMs(): Promise<number[]>;
  counts(event: Address): Promise<AdmissionCounts>;

  /** Admissions not yet in a batch; counted up to `atMost` (all when not given): the writer only asks whether a full batch waits. */
  unwritten(atMost?: number): Promise<number>;
  /** The batch in flight (created or signed, not yet settled), if any. */
  openBatch(): Promise<BatchRow | undefined>;
  /** Puts up to `size` unwritten admissions of the event with the oldest one into a new batch. */
  createBatch(size: number, now: number): Promise<BatchRow | undefined>;
  batch(id: number): Promise<BatchRow | undefined>;
  /** Write-ahead: the signed transaction is stored before it is ever broadcast. */
  recordSigned(id: number, nonce: number, rawTx: `0x${string}`, txHash: `0x${string}`): Promise<void>;
  recordAttempt(id: number, error?: string): Promise<void>;
  settle(id: number, state: "confirmed" | "failed", now: number, blockNumber?: bigint, error?: string): Promise<void>;
  /** The transaction never made it on chain: its admissions go back into the queue. */
  drop(id: number, now: number, reason: string): Promise<void>;
  batches(): Promise<BatchRow[]>;

  /** Releases the ledger's connections (PostgreSQL); the SQLite adapter leaves its database open to its owner. */
  close(): Promise<void>;
}

/**
 * The SQLite ledger behind the async interface: every call runs synchronously (node:sqlite) and
 * returns a settled promise, so its behaviour is exactly AdmissionLedger's; except that an
 * admission or a forget finding the write lock taken waits for it without stopping the thread.
 */
export class SqliteLedgerAdapter implements AsyncAdmissionLedger {
  constructor(readonly ledger: AdmissionLedger) {}

  // The gate's writes: on its thread, the check-in writer's thread holding the lock must not
  // stop every scan (writeWithoutSleeping).
  tryAdmit(event: Address, tokenId: bigint, staff: Address, holder: Address, now: number, method?: AdmissionMethod) {
    return writeWithoutSleeping(this.ledger.db, () => this.ledger.tryAdmit(event, tokenId, staff, holder, now, method));
  }
  forget(event: Address, tokenId: bigint, block: bigint) {
    return writeWithoutSleeping(this.ledger.db, () => this.ledger.forget(event, tokenId, block));
  }
  admittedByThisGate(event: Address, tokenId: bigint) {
    return this.ledger.admittedByThisGate(event, tokenId);
  }
  isOwnTransaction(hash: Hex) {
    return asPromise(() => this.ledger.isOwnTransaction(hash));
  }
  isAdmitted(event: Address, tokenId: bigint) {
    return asPromise(() => this.ledger.isAdmitted(event, tokenId));
  }
  admittedAmong(event: Address, tokenIds: bigint[]) {
    return asPromise(() => this.ledger.admittedAmong(event, tokenIds));
  }
  admittedTokenIdsJson(event: Address) {
    return asPromise(() => this.ledger.admittedTokenIdsJson(event));
  }
  usedFeedCursor() {
    return asPromise(() => this.ledger.usedFeedCursor());
  }
  admittedSince(event: Address, cursor: bigint, limit: number) {
    return asPromise(() => this.ledger.admittedSince(event, cursor, limit));
  }
  eventsAdmittedSince(since: number) {
    return asPromise(() => this.ledger.eventsAdmittedSince(since));
  }
  admissionToChainMs() {
    return asPromise(() => this.ledger.admissionToChainMs());
  }
  counts(event: Address) {
    return asPromise(() => this.ledger.counts(event));
  }
  unwritten(atMost?: number) {
    return asPromise(() => this.ledger.unwritten(atMost));
  }
  openBatch() {
    return asPromise(() => this.ledger.openBatch());
  }
  createBatch(size: number, now: number) {
    return asPromise(() => this.ledger.createBatch(size, now));
  }
  batch(id: number) {
    return asPromise(() => this.ledger.batch(id));
  }
  recordSigned(id: number, nonce: number, rawTx: `0x${string}`, txHash: `0x${string}`) {
    return asPromise(() => this.ledger.recordSigned(id, nonce, rawTx, txHash));
  }
  recordAttempt(id: number, error?: string) {
    return asPromise(() => this.ledger.recordAttempt(id, error));
  }
  settle(id: number, state: "confirmed" | "failed", now: number, blockNumber?: bigint, error?: string) {
    return asPromise(() => this.ledger.settle(id, state, now, blockNumber, error));
  }
  drop(id: number, now: number, reason: string) {
    return asPromise(() => this.ledger.drop(id, now, reason));
  }
  batches() {
    return asPromise(() => this.ledger.batches());
  }
  close() {
    return Promise.resolve();
  }
}
