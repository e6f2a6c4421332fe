// The main thread's side of the gate's chain follower: a copy of each opened event's snapshot,
// kept current by the ops the worker (chain-worker.ts) posts, and the freshness barrier a scan
// waits on before it reads the snapshot.
//
// Online, `fresh()` resolves once everything the node had mined when it was called is applied.
// It asks the node for the head block itself (one small request, shared by the scans waiting
// together); only when the head has moved past what the worker has applied does it wait for the
// worker to read the new blocks, and not even then when they hold only the gate's own check-ins
// (own-blocks.ts). A node busy mining answers the head read only after the block it is mining;
// when the read takes longer than `slowHeadMs`, the last head the node announced over its
// WebSocket (head-follower.ts) is what it had, and the barrier decides on that. Offline (the RPC
// refuses, or answers slower than
// `freshnessTimeoutMs`) it resolves `false` at once and the gate admits from the snapshot it has;
// the worker keeps probing and the barrier is used again as soon as a round succeeds.
import type { Address, Hex } from "viem";

import { within } from "../../lib/time-limit.js";
import { blockReader, type HeadBlock } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { WorkerHost } from "../workers/host.js";
import type { ChainMessage, OpenResult } from "./chain-follower.js";
import type { ChainRequest } from "./chain-worker.js";
import { HeadFollower } from "./head-follower.js";
import { OwnBlocks } from "./own-blocks.js";
import { RoundPacer } from "./round-pacer.js";
import { SnapshotCopies } from "./snapshot-copies.js";
import type { EventSnapshot } from "./snapshot.js";
import type { UsedTickets } from "./used-tickets.js";
import type { WriterStatus } from "./writer.js";

/** The chain cannot be read now, and the answer needs it. */
export class ChainUnreachable extends Error {}

/**
 * How long closing waits for the check-in writer to stop: its tick under way (a batch signed and
 * sent, its state recorded), then its lease handed back. A worker that does not answer in time
 * is ended anyway; another server takes the lease over when it expires.
 */
const STOP_WRITER_MS = 3_000;

export class GateChain {
  private readonly host: WorkerHost<ChainRequest, unknown>;
  /** The opened events' snapshots, handed out once whole. */
  private readonly copies = new SnapshotCopies();
  private readonly opening = new Map<string, Promise<EventSnapshot | undefined>>();
  /** What the worker last found: the RPC answers. */
  rpcReachable = true;
  /** Where each opened event's snapshot started (the index's state, or its logs), by address. */
  readonly origins = new Map<string, { from: "index" | "logs"; block: number; indexError?: string }>();
  /** The check-in writer's state, when this server writes admissions on chain. */
  writerStatus?: WriterStatus;
  lastError?: string;
  /** After a barrier timed out, scans do not wait on the chain before this time (ms). */
  private offlineUntil = 0;
  /** The head read over HTTP (the WebSocket's is the head follower's). */
  private readonly readOverHttp: () => Promise<HeadBlock>;
  private readonly heads?: HeadFollower;
  private readonly ownBlocks: OwnBlocks;
  private readonly pacer: RoundPacer;

  constructor(
    private readonly config: ServerConfig,
    private readonly log: (message: string) => void,
    private readonly ledger: {
      /** A check-in was undone on chain (in `block`): the ledger lets the ticket in again. */
      onCheckInUndone(event: Address, tokenId: bigint, block: bigint): Promise<void>;
      /** The transaction is one of this gate's check-in batches. */
      isOwnTransaction(hash: Hex): Promise<boolean>;
    },
  ) {
    this.pacer = new RoundPacer(config.gate.freshnessIntervalMs);
    const readBlock = blockReader(config.rpcUrl, config.gate.freshnessTimeoutMs);
    this.readOverHttp = () => readBlock();
    // Blocks mined between two rounds are read by hash, and every announced head is checked as it
    // comes, so a busy writer's back-to-back batches do not send scans to wait for the follower.
    this.ownBlocks = new OwnBlocks((hash) => ledger.isOwnTransaction(hash), (hash) => readBlock(hash));
    if (config.gate.headsUrl) this.heads = new HeadFollower(config.gate.headsUrl, readBlock, log, (block) => void this.ownBlocks.note(block).catch(() => undefined));
    this.host = new WorkerHost<ChainRequest, unknown>({
      name: "gate-chain",
      entry: new URL("./chain-worker.ts", import.meta.url),
      data: { config },
      maxHeapMb: 1024,
      onEvent: (message) => this.receive(message as ChainMessage),
      // A new worker knows nothing: open every event again and follow on.
      onRestart: () => this.reopen(),
      log,
    });
  }

  private receive(message: ChainMessage) {
    switch (message.type) {
      case "ops":
        this.copies.apply(message.event, message.createdAtBlock, message.ops);
        for (const op of message.ops) {
          if (op.k === "checkin" && op.undoneInBlock !== undefined) {
            const { token, undoneInBlock } = op;
            this.ledger.onCheckInUndone(message.event, token, undoneInBlock).catch((error: Error) => this.log(`gate: could not forget the undone check-in of ticket ${token}: ${error.message}`));
          }
        }
        break;
      case "synced":
        this.heads?.saw(message.block);
        this.ownBlocks.synced(message.block, message.hash);
        this.copies.synced(message.block, message.at);
        break;
      case "reset":
        this.copies.reset();
        this.ownBlocks.clear();
        break;
      case "health":
        this.rpcReachable = message.rpcReachable;
        this.lastError = message.lastError;
        break;
      case "writer":
        this.writerStatus = message.status;
        break;
      case "bootstrapped":
        this.origins.set(message.event.toLowerCase(), { from: message.from, block: Number(message.block), indexError: message.indexError });
        this.copies.bootstrapped(message.event);
        break;
    }
  }

  private reopen() {
    // A new worker opens them afresh (an open is answered once its snapshot is whole).
    for (const event of this.copies.restart()) void this.event(event).catch(() => undefined);
  }

  /**
   * The event's used tickets (admitted or checked in on chain), computed by the worker off this
   * thread; undefined when the worker has not opened the event. Rejects when it cannot answer
   * within `timeoutMs` (busy, restarting): the caller computes them itself then.
   */
  usedTickets(address: string, timeoutMs: number): Promise<UsedTickets | undefined> {
    return this.host.request({ type: "used", event: address.toLowerCase() }, timeoutMs) as Promise<UsedTickets | undefined>;
  }

  /**
   * The event's snapshot, synced; undefined if the factory never created it. Throws
   * ChainUnreachable when the event was never opened and the chain cannot be read (a copy from a
   * worker that died is used then: snapshot-copies.ts).
   */
  event(address: string): Promise<EventSnapshot | undefined> {
    const id = address.toLowerCase();
    const rebuilt = this.copies.rebuilt(id);
    if (rebuilt) {
      const limit = this.config.gate.rpcTimeoutMs * 4;
      return within(rebuilt, limit, () => {
        throw new ChainUnreachable(`the event ${address} is being read again after a reorg, and that took over ${limit} ms`);
      }).then(() => this.event(address));
    }
    const known = this.copies.get(id);
    if (!known) return this.open(id, address);
    if (!this.copies.isStale(id)) return Promise.resolve(known);
    // Its worker died: the new worker's copy if it opens the event within the barrier's limit,
    // else this one (a large event still loading), and the next request waits again. With the
    // chain known to be unreachable, this one at once (the open goes on for the next request).
    const opened = this.open(id, address).then(
      (copy) => copy ?? known,
      () => known,
    );
    if (!this.rpcReachable || Date.now() < this.offlineUntil) return Promise.resolve(known);
    return within(opened, this.config.gate.freshnessTimeoutMs, () => known);
  }

  /**
   * The event's whole copy now (maybe a dead worker's), without opening it: a request that waited
   * on the barrier reads this one, which may have replaced the copy it started with.
   */
  current(address: string): EventSnapshot | undefined {
    return this.copies.get(address);
  }

  /** Asks the worker to open the event (one request at a time per event). */
  private open(id: string, address: string): Promise<EventSnapshot | undefined> {
    let opening = this.opening.get(id);
    if (!opening) {
      opening = this.host
        .request({ type: "open", event: id }, this.config.gate.rpcTimeoutMs * 4)
        .then((result) => {
          const opened = result as OpenResult;
          if (!opened.known) return undefined;
          // Its ops and "bootstrapped" arrived before the answer (messages keep their order).
          return this.copies.opened(opened.address, opened.createdAtBlock);
        })
        .catch((error: Error) => {
          throw new ChainUnreachable(`the chain cannot be read to look up ${address}: ${error.message}`);
        })
        .finally(() => this.opening.delete(id));
      this.opening.set(id, opening);
    }
    return opening;
  }

  /**
   * The freshness barrier. True once every block the node had when this was called is applied;
   * false when the chain cannot be read, or when `event`'s copy is a dead worker's (nothing
   * follows it: a scan cannot wait for it to catch up); then the snapshot is what there is.
   */
  fresh(event?: string): Promise<boolean> {
    if (this.unreachable || (event !== undefined && this.copies.isStale(event))) return Promise.resolve(false);
    // Scans arriving together share a round (round-pacer.ts): each scan joins the next one to
    // start, which starts after it arrived, as the barrier requires.
    if (this.scheduled) return this.scheduled;
    const start = () => {
      this.scheduled = undefined;
      return this.pacer.started(performance.now(), this.ask());
    };
    const ready = this.pacer.ready(performance.now());
    if (!ready) return start();
    this.scheduled = ready.then(start);
    return this.scheduled;
  }

  private scheduled?: Promise<boolean>;

  private async ask(): Promise<boolean> {
    try {
      if (this.unreachable) return false;
      const started = performance.now();
      // Nothing new since the worker's last round, or nothing but our own check-ins on top of the
      // block it applied (by hash: a reorg below the head is the worker's to undo): the snapshot
      // and the ledger are current.
      if (await this.ownBlocks.cover(await this.nodeHead())) return true;
      const left = this.config.gate.freshnessTimeoutMs - (performance.now() - started);
      await this.host.request({ type: "fresh" }, Math.max(1, left));
      return true;
    } catch (error) {
      this.wentOffline(error as Error);
      return false;
    }
  }

  /** Too slow or down: scans go on from the snapshot, and try the chain again a little later. */
  private wentOffline(error: Error) {
    this.offlineUntil = Date.now() + this.config.gate.snapshotIntervalMs;
    this.lastError = error.message.split("\n")[0];
  }

  /**
   * The node's head: its answer to a head read, or, when that is slower than `slowHeadMs`, the
   * last head it announced (every block it had before it started on the one it is mining).
   *
   * The read goes on the WebSocket while it follows (head-follower.ts), and there a slow answer
   * may also be a socket gone silent, whose last announcement is old. So a slow socket read is
   * sent again over HTTP: the node answering there within `slowHeadMs` decides (the socket was the
   * slow part, and is not asked again until it speaks); the node slow there too is busy mining,
   * and its announcement decides, if the socket brought anything within `freshnessTimeoutMs`
   * (else it may have died without closing, and the scan waits for a read).
   */
  private nodeHead(): Promise<HeadBlock> {
    const heads = this.heads;
    const overSocket = heads?.readHead(this.config.gate.freshnessTimeoutMs);
    const seen = (head: HeadBlock) => {
      this.heads?.saw(head.number);
      return head;
    };
    const read = (overSocket ?? this.readOverHttp()).then(seen);
    // Without a socket read there is no announcement to believe either (latest() says none).
    if (!heads || !overSocket) return read;
    const { freshnessTimeoutMs } = this.config.gate;
    // At least twice the link's own round trip: the announcement of a block the node had when the
    // scan came has then had twice the time the link takes to arrive, so deciding on the last one
    // is deciding on that block. With the setting alone (15 ms before), an RPC more than 15 ms
    // away each way decided before the newest announcement could arrive: a seller's pass scanned
    // just after the sale was admitted. On a node beside the gate it is the setting (5 ms). With
    // no round trip of the last second (a quiet door), nothing says how far the node is now: no
    // announcement decides, and the scan waits for a read.
    const roundTripMs = heads.roundTripMs();
    const slowHeadMs = Math.max(this.config.gate.slowHeadMs, 2 * (roundTripMs ?? 0));
    return new Promise<HeadBlock>((resolve, reject) => {
      let settled = false;
      /** Settled by the HTTP read: the socket's read failing later says nothing of the node. */
      let answeredOverHttp = false;
      const timers: NodeJS.Timeout[] = [];
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        done();
      };
      // setImmediate: after a busy loop turn a timer fires before the poll phase has read an
      // announcement waiting on the socket; the check phase comes after it.
      const after = (ms: number, then: () => void) => timers.push(setTimeout(() => setImmediate(then), ms));
      after(slowHeadMs, () => {
        if (settled) return;
        this.readOverHttp().then(
          (head) =>
            settle(() => {
              answeredOverHttp = true;
              heads.distrust();
              resolve(seen(head));
            }),
          () => undefined, // the socket's read decides
        );
        after(slowHeadMs, () => {
          const head = roundTripMs !== undefined && heads.silentMs() <= freshnessTimeoutMs ? heads.latest() : undefined;
          if (head) settle(() => resolve(head));
        });
      });
      read.then(
        (head) => settle(() => resolve(head)),
        (error: Error) => {
          // Answered from the announcement, and then the read failed: not busy, unreachable.
          if (settled && !answeredOverHttp) this.wentOffline(error);
          settle(() => reject(error));
        },
      );
    });
  }

  /** The node's new heads are followed over its WebSocket, up to the newest (head-follower.ts). */
  get headsFollowed(): boolean {
    return this.heads?.latest() !== undefined;
  }

  /** The chain is not read now (down, or too slow a moment ago): scans do not wait on it. */
  get unreachable(): boolean {
    return !this.rpcReachable || Date.now() < this.offlineUntil;
  }

  /**
   * Scans of `event` are answered from its snapshot alone now: the chain is unreachable, or the
   * copy is a dead worker's until the event is opened again. Per event: a copy no one asks for
   * again (yesterday's show) must not keep the other events offline.
   */
  offlineFor(event: string): boolean {
    return this.unreachable || this.copies.isStale(event);
  }

  start() {
    this.heads?.start();
    // The follower's loop and the check-in writer, in this worker and in any that replaces it.
    this.host.standing("follow", { type: "start" });
  }

  /**
   * Stops the worker. Its check-in writer stops first (its tick ended, its lease handed back),
   * for at most `STOP_WRITER_MS`: a worker that does not answer is ended anyway.
   */
  async close() {
    this.heads?.close();
    await this.host.close({ body: { type: "stop" }, timeoutMs: STOP_WRITER_MS });
  }

  /** For tests: the worker dies, as in a crash, and a new one starts. */
  restartWorker(): Promise<void> {
    return this.host.restart();
  }

  /** For tests: the worker has started. */
  whenReady() {
    return this.host.whenReady();
  }

  /** For tests: the opens under way (a new worker's of every event it had) have ended, opened or failed. */
  async opensEnded(): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
  }
}
