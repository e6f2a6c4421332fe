// The main thread's copies of the chain worker's event snapshots, as its messages build them.
//
// The worker posts a newly opened event's snapshot in slices ("ops" messages of up to 5,000 ops,
// then "bootstrapped"), and scans run between two slices. A copy still filling has the event's
// times but maybe not its staff, owners or check-ins: a scan reading it would refuse the staff
// (403 not-gate-staff) or a holder, or admit a ticket already checked in on chain. So a copy is
// only handed out once whole; a request for it waits on the open, as for an event never opened.
//
// A worker that dies (out of memory, a bug) is replaced by one that knows nothing. The old copies
// stay in use, marked stale, until the new worker has sent each event again: with the RPC down
// (when a crash is likeliest to matter), the door goes on from them, as it would have with the old
// worker, instead of refusing every scan until the chain can be read to open the events again.
import type { Address } from "viem";

import { EventSnapshot, type SnapshotOp } from "./snapshot.js";

const key = (address: string) => address.toLowerCase();

export class SnapshotCopies {
  /** Whole copies: what scans read. */
  private readonly whole = new Map<string, EventSnapshot>();
  /** Copies the worker is still sending, until its "bootstrapped". */
  private readonly filling = new Map<string, EventSnapshot>();
  /** Events whose whole copy a worker that died sent: nothing follows the chain for them. */
  private readonly stale = new Set<string>();
  /**
   * Events the worker is reading again from their creation after a reorg deeper than its undo
   * log: a request waits until they are whole again rather than finding none and opening them.
   */
  private readonly rebuilding = new Map<string, { done: Promise<void>; finish: () => void }>();

  /** The whole copy of `address`, if there is one (maybe stale). */
  get(address: string): EventSnapshot | undefined {
    return this.whole.get(key(address));
  }

  /** Whether the whole copy of `address` came from a worker that has died. */
  isStale(address: string): boolean {
    return this.stale.has(key(address));
  }

  /** Resolves once `address`, being rebuilt after a reorg, is whole again; undefined if it is not being rebuilt. */
  rebuilt(address: string): Promise<void> | undefined {
    return this.rebuilding.get(key(address))?.done;
  }

  /** Applies one "ops" message to the event's copy, whole or filling (its first message creates one). */
  apply(event: Address, createdAtBlock: bigint, ops: readonly SnapshotOp[]) {
    const id = key(event);
    let copy = (this.stale.has(id) ? undefined : this.whole.get(id)) ?? this.filling.get(id);
    if (!copy) this.filling.set(id, (copy = new EventSnapshot(event, createdAtBlock)));
    for (const op of ops) copy.applyOp(op);
  }

  /** The worker has sent all of the event's first state: scans may read it (instead of a stale copy). */
  bootstrapped(event: Address) {
    const id = key(event);
    const copy = this.filling.get(id);
    if (copy) {
      this.filling.delete(id);
      this.whole.set(id, copy);
      this.stale.delete(id);
    }
    this.rebuilding.get(id)?.finish();
    this.rebuilding.delete(id);
  }

  /**
   * The worker answered an open: the copy, whole by now (its messages came first, in order). An
   * event the worker had opened before this thread lost its copy has none: an empty one, as an
   * event without a log yet.
   */
  opened(event: Address, createdAtBlock: bigint): EventSnapshot {
    const id = key(event);
    let copy = this.stale.has(id) ? undefined : this.whole.get(id);
    if (!copy) this.whole.set(id, (copy = new EventSnapshot(event, createdAtBlock)));
    this.stale.delete(id);
    return copy;
  }

  /** Every event the worker follows is synced up to `block` (at `at`, ms). */
  synced(block: bigint, at: number) {
    const sync = (copy: EventSnapshot) => copy.synced(block, at);
    for (const [id, copy] of this.whole) if (!this.stale.has(id)) sync(copy);
    this.filling.forEach(sync);
  }

  /**
   * A reorg deeper than the worker's undo log: every event it follows is sent again from its
   * creation (a stale copy stays until the event is opened again).
   */
  reset() {
    for (const id of [...this.whole.keys(), ...this.filling.keys()]) {
      if (this.stale.has(id)) continue;
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      this.rebuilding.set(id, { done, finish });
      this.whole.delete(id);
    }
    this.filling.clear();
  }

  /**
   * A new worker knows nothing: every whole copy is kept, stale, and the ones being sent are
   * dropped. Returns the events to open again.
   */
  restart(): string[] {
    const events = new Set([...this.whole.keys(), ...this.filling.keys(), ...this.rebuilding.keys()]);
    for (const { finish } of this.rebuilding.values()) finish();
    this.rebuilding.clear();
    this.filling.clear();
    for (const id of this.whole.keys()) this.stale.add(id);
    return [...events];
  }
}
