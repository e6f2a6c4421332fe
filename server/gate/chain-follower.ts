// The gate's view of the chain, kept in its own worker thread (chain-worker.ts): which events the
// factory created, and for each event the gate has opened, a snapshot followed block by block.
//
// All opened events share one cursor: a round reads the head, checks that the block the cursor
// points at is still on the chain (a reorg otherwise), reads every opened event's logs up to the
// head in one request per block range, applies them and moves the cursor. Each round keeps the
// inverse of every op it applied (a checkpoint) for the last `reorgDepth` blocks; after a reorg
// the checkpoints above the fork are undone and the new blocks read. Every op, forward or undo,
// is also handed to `emit`, which posts it to the main thread's copy of the snapshot.
//
// `fresh()` is the freshness barrier of a scan: it resolves after a round that started after the
// call, so whatever the node had mined when the scan arrived is in the snapshot. Concurrent calls
// share rounds: one in progress plus at most one queued.
import { getAbiItem, numberToHex, type AbiEvent, type Address, type Hex } from "viem";

import { ticketFactoryAbi } from "../../lib/abi/index.js";
import { leanRpc, type PublicClient } from "../chain.js";
import { readIndexedState, type IndexedState } from "./index-bootstrap.js";
import { decodeSnapshotLog, SNAPSHOT_TOPICS, type RawLog } from "./log-decoder.js";
import { EventSnapshot, type DecodedLog, type SnapshotOp } from "./snapshot.js";
import type { WriterStatus } from "./writer.js";

const EVENT_CREATED = getAbiItem({ abi: ticketFactoryAbi, name: "EventCreated" }) as AbiEvent;
/** Ops per message: the main thread applies a large bootstrap in slices, between scans. */
const OPS_PER_MESSAGE = 5_000;

const key = (address: string) => address.toLowerCase();

export interface KnownEvent {
  address: Address;
  createdAtBlock: bigint;
  start: number;
  end: number;
}

export type ChainMessage =
  /** Changes to one event's snapshot (its first message creates the main thread's copy). */
  | { type: "ops"; event: Address; createdAtBlock: bigint; ops: SnapshotOp[] }
  /** Every opened event is synced up to `block`. */
  | { type: "synced"; block: bigint; hash: Hex; at: number }
  /** Where an opened event's snapshot started: the index's state at `block`, or its logs from its creation. */
  | { type: "bootstrapped"; event: Address; from: "index" | "logs"; block: bigint; indexError?: string }
  /** A reorg deeper than the checkpoints kept: the main thread drops every snapshot and reopens them. */
  | { type: "reset" }
  | { type: "health"; rpcReachable: boolean; lastError?: string }
  /** The check-in writer's state (it runs in the same worker). */
  | { type: "writer"; status: WriterStatus };

export type OpenResult = { known: false } | { known: true; address: Address; createdAtBlock: bigint };

interface BlockRef {
  number: bigint;
  hash: Hex;
}

interface Checkpoint {
  /** The cursor before this round. */
  base: BlockRef;
  /** The cursor after it. */
  head: BlockRef;
  /** Inverse ops, in the order applied. */
  undo: { event: string; op: SnapshotOp }[];
}

export interface GateChainOptions {
  client: PublicClient;
  /** The same node over leanRpc (chain.ts): blocks and logs on the hot path. */
  rpc: ReturnType<typeof leanRpc>;

  factory: Address;
  factoryStartBlock: bigint;
  /** Blocks per eth_getLogs request. */
  range: bigint;
  /** Blocks kept undoable. */
  reorgDepth: number;

  emit(message: ChainMessage): void;
  /**
   * An index (the local index or The Graph) to read an opened event's state from, at the index's
   * block, instead of replaying its logs from its creation (index-bootstrap.ts); unset, or when
   * the index cannot be used, the logs are replayed.
   */
  indexUrl?: string;
  /** Time limit of one index request. */
  indexTimeoutMs?: number;
}

export class GateChainFollower {
  private readonly known = new Map<string, KnownEvent>();
  private factorySynced: bigint;
  private readonly tracked = new Map<string, EventSnapshot>();
  private cursor?: BlockRef;
  private checkpoints: Checkpoint[] = [];
  private lock: Promise<unknown> = Promise.resolve();
  private current?: Promise<void>;
  private queued?: Promise<void>;
  rpcReachable = true;
  lastError?: string;

  private readonly rpc: ReturnType<typeof leanRpc>;

  constructor(private readonly options: GateChainOptions) {
    this.factorySynced = options.factoryStartBlock - 1n;
    this.rpc = options.rpc;
  }

  /** One thing at a time changes the state: rounds and openings queue up. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.health(true);
      return result;
    } catch (error) {
      this.health(false, (error as Error).message.split("\n")[0]);
      throw error;
    }
  }

  private health(reachable: boolean, lastError?: string) {
    const changed = reachable !== this.rpcReachable || lastError !== this.lastError;
    this.rpcReachable = reachable;
    this.lastError = lastError;
    if (changed) this.options.emit({ type: "health", rpcReachable: reachable, lastError });
  }

  /** Starts following `address` (syncing it up to the shared cursor); `known: false` if the factory never created it. */
  open(address: string): Promise<OpenResult> {
    return this.exclusive(() =>
      this.guarded(async () => {
        const id = key(address);
        let event = this.known.get(id);
        if (!event) {
          await this.syncFactory();
          event = this.known.get(id);
        }
        if (!event) return { known: false };
        if (!this.tracked.has(id)) await this.bootstrap(event);
        return { known: true, address: event.address, createdAtBlock: event.createdAtBlock };
      }),
    );
  }

  /** The opened event's tickets checked in on chain, as this thread has applied them; undefined if not opened. */
  checkedInOnChain(address: string): ReadonlySet<bigint> | undefined {
    return this.tracked.get(key(address))?.checkedInOnChain;
  }

  /**
   * The freshness barrier: resolves after a round that started after this call. A barrier round
   * asks only the head's number and reads blocks only when it moved; `full` rounds (the
   * background loop) also compare the head's hash, which catches a reorg at the same height.
   */
  fresh(full = false): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.current) return (this.current = this.startRound(full));
    this.queued = this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return (this.current = this.startRound(full));
      });
    return this.queued;
  }

  private startRound(full: boolean): Promise<void> {
    const round: Promise<void> = this.exclusive(() => this.guarded(() => this.round(full))).finally(() => {
      if (this.current === round) this.current = undefined;
    });
    return round;
  }

  // ---------------------------------------------------------------- reading the chain

  private async head(): Promise<BlockRef & { parentHash: Hex }> {
    const block = await this.rpc<{ number: Hex; hash: Hex; parentHash: Hex }>("eth_getBlockByNumber", ["latest", false]);
    return { number: BigInt(block.number), hash: block.hash, parentHash: block.parentHash };
  }

  /** The hash of the block at `number`; undefined when the chain is shorter now. */
  private async hashAt(number: bigint): Promise<Hex | undefined> {
    const block = await this.rpc<{ hash: Hex } | null>("eth_getBlockByNumber", [numberToHex(number), false]);
    return block?.hash ?? undefined;
  }

  private async logsBetween<T>(fromBlock: bigint, toBlock: bigint, fetch: (from: bigint, to: bigint) => Promise<T[]>) {
    const logs: T[] = [];
    for (let from = fromBlock; from <= toBlock; from += this.options.range) {
      const to = from + this.options.range - 1n < toBlock ? from + this.options.range - 1n : toBlock;
      logs.push(...(await this.splitting(from, to, fetch)));
    }
    return logs;
  }

  /** A range with too many logs (the node refuses or times out) is read again in halves. */
  private async splitting<T>(from: bigint, to: bigint, fetch: (from: bigint, to: bigint) => Promise<T[]>): Promise<T[]> {
    try {
      return await fetch(from, to);
    } catch (error) {
      if (from === to) throw error;
      const middle = (from + to) / 2n;
      return [...(await this.splitting(from, middle, fetch)), ...(await this.splitting(middle + 1n, to, fetch))];
    }
  }

  private eventLogs(addresses: Address[], fromBlock: bigint, toBlock: bigint): Promise<DecodedLog[]> {
    if (addresses.length === 0 || fromBlock > toBlock) return Promise.resolve([]);
    return this.logsBetween(fromBlock, toBlock, async (from, to) => {
      const raw = await this.rpc<RawLog[]>("eth_getLogs", [{ address: addresses, topics: [SNAPSHOT_TOPICS], fromBlock: numberToHex(from), toBlock: numberToHex(to) }]);
      return raw.filter((log) => !log.removed).flatMap((log) => decodeSnapshotLog(log) ?? []);
    }).then((logs) => logs.sort(byChainOrder));
  }

  private async syncFactory() {
    const head = await this.options.client.getBlockNumber();
    const logs = await this.logsBetween(this.factorySynced + 1n, head, (fromBlock, toBlock) =>
      this.options.client.getLogs({ address: this.options.factory, event: EVENT_CREATED, fromBlock, toBlock }),
    );
    for (const log of logs as unknown as DecodedLog[]) {
      const params = log.args.params as { start: number; end: number };
      const address = log.args.ticket as Address;
      this.known.set(key(address), { address, createdAtBlock: log.blockNumber!, start: Number(params.start), end: Number(params.end) });
    }
    this.factorySynced = head;
  }

  // ---------------------------------------------------------------- applying

  private send(event: EventSnapshot, ops: SnapshotOp[]) {
    for (let i = 0; i < ops.length; i += OPS_PER_MESSAGE) {
      this.options.emit({ type: "ops", event: event.address, createdAtBlock: event.createdAtBlock, ops: ops.slice(i, i + OPS_PER_MESSAGE) });
    }
  }

  /** Applies `logs` (chain order); their inverses go to the checkpoint covering each log's block. */
  private applyLogs(logs: DecodedLog[], undoFor: (block: bigint) => Checkpoint["undo"] | undefined) {
    const sent = new Map<EventSnapshot, SnapshotOp[]>();
    for (const log of logs) {
      const id = key(log.address);
      const snapshot = this.tracked.get(id);
      if (!snapshot) continue;
      const undo = undoFor(log.blockNumber!);
      let ops = sent.get(snapshot);
      if (!ops) sent.set(snapshot, (ops = []));
      for (const op of snapshot.opsFor(log)) {
        const inverse = snapshot.applyOp(op);
        undo?.push({ event: id, op: inverse });
        ops.push(op);
      }
    }
    for (const [snapshot, ops] of sent) if (ops.length) this.send(snapshot, ops);
  }

  /**
   * A newly opened event: its state at the index's block when an index can give it, else from
   * its creation; then its logs from there up to the shared cursor.
   */
  private async bootstrap(event: KnownEvent) {
    if (!this.cursor) {
      const head = await this.head();
      this.cursor = { number: head.number, hash: head.hash };
    }
    const snapshot = new EventSnapshot(event.address, event.createdAtBlock);
    const id = key(event.address);
    const { state: indexed, error: indexError } = await this.indexedState(event);
    const from = indexed ? indexed.block.number + 1n : event.createdAtBlock;
    const logs = await this.eventLogs([event.address], from, this.cursor.number);
    this.tracked.set(id, snapshot);
    const initial: SnapshotOp[] = indexed?.ops ?? [{ k: "times", start: event.start, end: event.end }];
    for (const op of initial) snapshot.applyOp(op);
    this.send(snapshot, initial); // in messages of OPS_PER_MESSAGE
    // Logs in blocks a checkpoint covers are undoable with it, like the other events' logs.
    this.applyLogs(logs, (block) => this.checkpoints.find((c) => block > c.base.number && block <= c.head.number)?.undo);
    snapshot.syncedBlock = this.cursor.number;
    snapshot.syncedAt = Date.now();
    this.options.emit({ type: "bootstrapped", event: event.address, from: indexed ? "index" : "logs", block: indexed?.block.number ?? event.createdAtBlock, indexError });
    this.options.emit({ type: "synced", block: this.cursor.number, hash: this.cursor.hash, at: snapshot.syncedAt });
  }

  /**
   * The event's state from the index, if one is configured, knows the event, stands on a block of
   * the chain this follower follows and is not ahead of its cursor (then the logs after the
   * index's block complete it). Otherwise undefined, and the logs are replayed from the creation.
   */
  private async indexedState(event: KnownEvent): Promise<{ state?: IndexedState; error?: string }> {
    const { indexUrl } = this.options;
    if (!indexUrl || !this.cursor) return {};
    let state: IndexedState | undefined;
    try {
      state = await readIndexedState(indexUrl, event.address, this.options.indexTimeoutMs ?? 10_000);
    } catch (error) {
      return { error: (error as Error).message.split("\n")[0] };
    }
    if (!state) return { error: "the index does not know the event yet" };
    if (state.block.number > this.cursor.number) return { error: `the index is at block ${state.block.number}, ahead of the gate's ${this.cursor.number}` };
    // An index on another fork (or one whose block was reorganized away) is not used.
    if ((await this.hashAt(state.block.number)) !== state.block.hash) return { error: `the index's block ${state.block.number} is not on the chain` };
    return { state };
  }

  private async round(full: boolean) {
    if (!full && this.cursor) {
      const number = BigInt(await this.rpc<Hex>("eth_blockNumber"));
      if (number === this.cursor.number) return this.synced();
    }
    const head = await this.head();
    const cursor = this.cursor;
    if (!cursor) {
      this.cursor = { number: head.number, hash: head.hash };
    } else if (head.hash !== cursor.hash) {
      // The common case needs no extra request: the head builds on the cursor.
      const extends_ = head.number === cursor.number + 1n && head.parentHash === cursor.hash;
      if (!extends_) {
        const canonical = head.number === cursor.number ? head.hash : await this.hashAt(cursor.number);
        if (canonical !== cursor.hash) await this.rewind();
      }
      const from = this.cursor!;
      const checkpoint: Checkpoint = { base: from, head: { number: head.number, hash: head.hash }, undo: [] };
      if (head.number > from.number) {
        const logs = await this.eventLogs(
          [...this.tracked.values()].map((s) => s.address),
          from.number + 1n,
          head.number,
        );
        this.applyLogs(logs, () => checkpoint.undo);
      }
      this.checkpoints.push(checkpoint);
      while (this.checkpoints.length && this.checkpoints[0].head.number < head.number - BigInt(this.options.reorgDepth)) this.checkpoints.shift();
      this.cursor = checkpoint.head;
    }
    this.synced();
  }

  private lastSynced: { block: bigint; hash?: Hex; at: number } = { block: -1n, at: 0 };

  private synced() {
    const at = Date.now();
    const { number: block, hash } = this.cursor!;
    for (const snapshot of this.tracked.values()) {
      snapshot.syncedBlock = block;
      snapshot.syncedAt = at;
    }
    // Hundreds of barrier rounds a second find nothing new: tell the main thread twice a second.
    if (block === this.lastSynced.block && hash === this.lastSynced.hash && at - this.lastSynced.at < 500) return;
    this.lastSynced = { block, hash, at };
    this.options.emit({ type: "synced", block, hash, at });
  }

  /** Undoes checkpoints until the cursor is on the chain again; starts over past the kept depth. */
  private async rewind() {
    while (this.checkpoints.length) {
      const checkpoint = this.checkpoints.at(-1)!;
      if ((await this.hashAt(checkpoint.head.number)) === checkpoint.head.hash) {
        this.cursor = checkpoint.head;
        return;
      }
      const undone = new Map<EventSnapshot, SnapshotOp[]>();
      for (const { event, op } of [...checkpoint.undo].reverse()) {
        const snapshot = this.tracked.get(event)!;
        snapshot.applyOp(op);
        let ops = undone.get(snapshot);
        if (!ops) undone.set(snapshot, (ops = []));
        ops.push(op);
      }
      for (const [snapshot, ops] of undone) this.send(snapshot, ops);
      this.checkpoints.pop();
      this.cursor = checkpoint.base;
    }
    if (this.cursor && (await this.hashAt(this.cursor.number)) === this.cursor.hash) return;
    // Deeper than what was kept: every snapshot is rebuilt from its event's creation.
    const events = [...this.tracked.keys()].map((id) => this.known.get(id)!);
    this.tracked.clear();
    this.checkpoints = [];
    const head = await this.head();
    this.cursor = { number: head.number, hash: head.hash };
    this.options.emit({ type: "reset" });
    for (const event of events) await this.bootstrap(event);
  }
}

function byChainOrder(a: DecodedLog, b: DecodedLog) {
  return a.blockNumber! === b.blockNumber! ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1;
}
