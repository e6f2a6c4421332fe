// The node's new heads as it announces them (`eth_subscribe("newHeads")` over WebSocket), for the
// freshness barrier when the node is slow to answer a head read. A node busy mining (at a busy
// door: the gate's own check-in batches) answers `eth_getBlockByNumber("latest")` only once the
// block is mined, and a scan would wait that long; but every block it had before it started
// mining was announced on the socket the moment it was mined. So when a head read is slow, the
// last announced head (with its transaction hashes, read once per block) is the head the node
// had, and the barrier can decide on it (chain-view.ts).
//
// Best effort: no WebSocket endpoint, a dropped socket or an announcement behind what the node
// answered by polling, and `latest()` is undefined: the barrier then waits for its head read as
// before. Reconnects with a growing pause. A socket silent for a while is asked something small
// (`eth_chainId`); one that still says nothing (a link that died without closing: a venue's Wi-Fi,
// a NAT that forgot it) is dropped and opened again.
//
// The barrier's head reads themselves go over the same socket while it follows (`readHead`): a
// JSON-RPC message on an open socket costs the gate and the node about a quarter of an HTTP
// request each (measured against Hardhat's node: 116 and 165 µs of CPU a read against 498 and
// 590 µs), and the barrier reads the head for nearly every admission at a busy door.
import type { Hex } from "viem";

import { headBlockOf, RpcError, type HeadBlock, type RpcBlock } from "../chain.js";

/** JSON-RPC ids of the socket's own requests; head reads take the ids after them. */
const SUBSCRIBE_ID = 1;
const PROBE_ID = 2;

interface HeadRead {
  resolve(block: HeadBlock | Promise<HeadBlock>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

/** The socket's round trips kept for `roundTripMs` (the newest). */
const ROUND_TRIPS_KEPT = 32;
/**
 * How recent a kept round trip must be to count (ms). The link's delay can grow (a venue's Wi-Fi
 * falling back, the RPC provider's traffic moving to a farther region): one measured before says
 * nothing of it. At a busy door the 32 kept are a fraction of a second old; at a quiet one they
 * were the last 32 scans', maybe an hour ago, and a seller scanned just after the sale was
 * admitted on them (gate-door.test.ts, "a link that grows").
 */
const RECENT_ROUND_TRIP_MS = 1_000;

interface HeaderNotice {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
}

export class HeadFollower {
  private socket?: WebSocket;
  private closed = false;
  private retryMs = 500;
  private retryTimer?: NodeJS.Timeout;
  private subscription?: string;
  /** The newest announced header, and the same block with its transactions once read. */
  private announced?: HeaderNotice;
  private head?: HeadBlock;
  /** The highest block seen any other way (head reads, the follower): an announcement behind it is stale. */
  private seenElsewhere = -1n;
  private warned = false;
  /** When the socket last brought anything (performance.now()), and the timer that checks it. */
  private heardAt = 0;
  private probe?: NodeJS.Timeout;
  /** Head reads sent on the socket and not answered yet, by id. */
  private readonly reads = new Map<number, HeadRead>();
  private nextReadId = PROBE_ID + 1;
  /** A head read went unanswered: reads go over HTTP until the socket brings something again. */
  private unanswered = false;
  /** The round trips of this socket's last requests: how long each took and when it was answered (ms). */
  private roundTrips: { ms: number; at: number }[] = [];
  /** When its subscription was asked for. */
  private subscribeSentAt = 0;
  private readonly probeMs: number;
  private readonly recentMs: number;

  constructor(
    private readonly wsUrl: string,
    /** Reads a block by hash, or the head without one (chain.ts blockReader). */
    private readonly readBlock: (hash?: Hex) => Promise<HeadBlock>,
    private readonly log: (message: string) => void,
    /** Each announced block once read with its transactions. */
    private readonly onBlock: (block: HeadBlock) => void = () => undefined,
    timing: {
      /** Silent this long, the socket is asked something; still silent this long after, it is dropped. */
      probeMs?: number;
      /** Round trips older than this do not count (RECENT_ROUND_TRIP_MS). */
      recentMs?: number;
    } = {},
  ) {
    this.probeMs = timing.probeMs ?? 5_000;
    this.recentMs = timing.recentMs ?? RECENT_ROUND_TRIP_MS;
  }

  start() {
    this.connect();
  }

  /** The newest head the node announced, with its transactions; undefined when not known to be current. */
  latest(): HeadBlock | undefined {
    const head = this.head;
    if (!head || !this.subscription || this.unanswered || head.hash !== this.announced?.hash || head.number < this.seenElsewhere) return undefined;
    return head;
  }

  /**
   * The node's head (`eth_getBlockByNumber("latest")`) read on the socket; undefined when the
   * socket is not following now, or left a read unanswered and has said nothing since (the caller
   * reads over HTTP). A read still out when the socket drops is read again over HTTP; one left
   * unanswered for `timeoutMs` fails as a slow HTTP read would.
   */
  readHead(timeoutMs: number): Promise<HeadBlock> | undefined {
    const socket = this.socket;
    if (!socket || !this.subscription || this.unanswered) return undefined;
    const id = this.nextReadId++;
    return new Promise<HeadBlock>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(id);
        this.unanswered = true;
        reject(new Error(`eth_getBlockByNumber on the WebSocket took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.reads.set(id, { resolve, reject, timer, sentAt: performance.now() });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_getBlockByNumber", params: ["latest", false] }));
    });
  }

  /**
   * The shortest of the socket's last round trips (its subscription, head reads) that are at most
   * `recentMs` old: the link's own delay now, without the time a busy node took to answer.
   * Undefined when none is that recent (a quiet door): then nothing says how far the node is now.
   */
  roundTripMs(): number | undefined {
    const since = performance.now() - this.recentMs;
    let shortest: number | undefined;
    for (const { ms, at } of this.roundTrips) if (at >= since && (shortest === undefined || ms < shortest)) shortest = ms;
    return shortest;
  }

  private tookMs(sentAt: number) {
    const at = performance.now();
    this.roundTrips.push({ ms: at - sentAt, at });
    if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
  }

  /** How long the socket has brought nothing (ms). */
  silentMs(): number {
    return performance.now() - this.heardAt;
  }

  /** The node answered over HTTP while a read on the socket was out: the socket is not asked again until it speaks. */
  distrust() {
    if (this.reads.size) this.unanswered = true;
  }

  /** A head read or the follower reached `block`: announcements below it are stale. */
  saw(block: bigint) {
    if (block > this.seenElsewhere) this.seenElsewhere = block;
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.probe);
    this.socket?.close();
    for (const read of this.reads.values()) {
      clearTimeout(read.timer);
      read.reject(new Error("the gate is closing"));
    }
    this.reads.clear();
  }

  /** The head reads still out on a socket that is gone, read over HTTP instead. */
  private sendReadsOverHttp() {
    for (const read of this.reads.values()) {
      clearTimeout(read.timer);
      read.resolve(this.readBlock());
    }
    this.reads.clear();
  }

  private connect() {
    if (this.closed) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.wsUrl);
    } catch (error) {
      return this.retry(error as Error);
    }
    this.socket = socket;
    // A handshake or a subscription that never completes is dropped and tried again.
    const stalled = setTimeout(() => this.drop(socket, "no subscription within 5 s"), 5_000);
    stalled.unref();
    socket.onopen = () => {
      this.subscribeSentAt = performance.now();
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: SUBSCRIBE_ID, method: "eth_subscribe", params: ["newHeads"] }));
    };
    this.heardAt = performance.now();
    clearInterval(this.probe);
    let askedAt: number | undefined;
    this.probe = setInterval(() => {
      if (!this.subscription) return; // the stall timer above has this part
      const now = performance.now();
      const silent = now - this.heardAt;
      const asked = askedAt !== undefined && askedAt > this.heardAt;
      // Dropped only once asked and still silent a whole interval later: on a busy machine this
      // timer may fire late, and a socket never asked has not failed to answer.
      if (asked && now - askedAt! >= this.probeMs) this.drop(socket, `was silent for ${Math.round(silent)} ms`);
      else if (!asked && silent >= this.probeMs) {
        askedAt = now;
        socket.send(JSON.stringify({ jsonrpc: "2.0", id: PROBE_ID, method: "eth_chainId", params: [] }));
      }
    }, this.probeMs);
    this.probe.unref();
    socket.onmessage = (message) => {
      if (this.socket !== socket) return; // dropped: what it still brings is not current
      this.heardAt = performance.now();
      this.unanswered = false;
      this.receive(String(message.data));
      if (this.subscription) clearTimeout(stalled);
    };
    // undici reports a refused handshake as an error and may close only much later.
    socket.onerror = () => this.drop(socket, "failed");
    socket.onclose = () => this.drop(socket, "closed");
  }

  /** Forgets the head known through `socket` and connects again later. */
  private drop(socket: WebSocket, why: string) {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.subscription = undefined;
    clearInterval(this.probe);
    // Both: the next subscription's first head must not be compared with this socket's last.
    this.announced = undefined;
    // The next socket may take another way (another node behind the URL): its delay is its own.
    this.roundTrips = [];
    this.head = undefined;
    this.unanswered = false;
    socket.close();
    this.sendReadsOverHttp();
    this.retry(new Error(`the WebSocket to ${this.wsUrl} ${why}`));
  }

  private retry(error: Error) {
    if (this.closed) return;
    if (!this.warned) {
      this.warned = true;
      this.log(`new heads are not followed (${error.message}); scans wait for head reads; retrying`);
    }
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  private remember(block: HeadBlock) {
    this.announced = { number: `0x${block.number.toString(16)}`, hash: block.hash, parentHash: block.parentHash };
    this.head = block;
  }

  private receive(text: string) {
    let message: { id?: number; result?: unknown; error?: { message?: string }; method?: string; params?: { subscription?: string; result?: HeaderNotice } };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const read = message.id === undefined ? undefined : this.reads.get(message.id);
    if (read) {
      this.reads.delete(message.id!);
      clearTimeout(read.timer);
      this.tookMs(read.sentAt);
      try {
        if (message.error) throw new RpcError(message.error.message ?? "eth_getBlockByNumber failed");
        read.resolve(headBlockOf(message.result as RpcBlock | null, "latest"));
      } catch (error) {
        read.reject(error as Error);
      }
      return;
    }
    if (message.id === SUBSCRIBE_ID) {
      if (typeof message.result !== "string") return this.drop(this.socket!, "refused eth_subscribe");
      this.subscription = message.result;
      this.tookMs(this.subscribeSentAt);
      this.retryMs = 500;
      if (this.warned) this.log("new heads are followed again");
      this.warned = false;
      // Every block from here on is announced; the one the node is on now is read once.
      this.readBlock().then(
        (block) => {
          if (!this.announced || BigInt(this.announced.number) < block.number) this.remember(block);
        },
        () => undefined,
      );
      return;
    }
    const header = message.params?.result;
    if (message.method !== "eth_subscription" || message.params?.subscription !== this.subscription || !header?.hash) return;
    this.announced = header;
    // The transaction hashes decide whether the barrier may skip the block (own-blocks.ts).
    this.readBlock(header.hash).then(
      (block) => {
        this.onBlock(block);
        if (block.hash === this.announced?.hash) this.head = block;
      },
      () => undefined, // the barrier falls back to its head read
    );
  }
}
