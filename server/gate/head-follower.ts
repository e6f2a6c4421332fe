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
// before. Reconnects with a growing pause.
//
// While subscribed, blocks are also read over this socket (`read`): the barrier's head read costs
// the gate and the node about a quarter of what a kept-alive HTTP request costs them, and it
// happens hundreds of times a second at a busy door. Without a socket, reads go over HTTP.
import type { Hex } from "viem";

import { RpcError, type HeadBlock } from "../chain.js";

interface HeaderNotice {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
}

interface RawBlock extends HeaderNotice {
  transactions: Hex[];
}

/** A read sent over the socket, waiting for its answer. */
interface Call {
  resolve(block: RawBlock | null): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** The socket dropped before answering: the read goes over HTTP instead. */
class SocketLost extends Error {}

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
  /** Reads sent over the socket, by JSON-RPC id (1 is the subscription). */
  private readonly calls = new Map<number, Call>();
  private lastId = 1;
  /** When the socket last brought anything (performance.now()). */
  private heardAt = 0;

  constructor(
    private readonly wsUrl: string,
    /** Reads a block by hash, or the head without one, over HTTP (chain.ts blockReader). */
    private readonly readOverHttp: (hash?: Hex) => Promise<HeadBlock>,
    private readonly log: (message: string) => void,
    /** Each announced block once read with its transactions. */
    private readonly onBlock: (block: HeadBlock) => void = () => undefined,
    /** A read over the socket slower than this fails, and the socket is dropped and opened again. */
    private readonly timeoutMs = 3_000,
  ) {}

  /**
   * Reads a block by hash, or the head without one: over the socket while subscribed, else over
   * HTTP. A socket that drops meanwhile sends the read over HTTP; one that does not answer in
   * time fails it (as a slow HTTP read would), and is opened again if it brought nothing meanwhile.
   */
  readonly read = (hash?: Hex): Promise<HeadBlock> => {
    const socket = this.socket;
    if (!socket || !this.subscription || socket.readyState !== WebSocket.OPEN) return this.readOverHttp(hash);
    const what = hash ?? "latest";
    return new Promise<RawBlock | null>((resolve, reject) => {
      const id = ++this.lastId;
      const sentAt = performance.now();
      const timer = setTimeout(() => {
        this.calls.delete(id);
        reject(new Error(`reading block ${what} over the WebSocket took longer than ${this.timeoutMs} ms`));
        if (this.heardAt < sentAt) this.drop(socket, `was silent for ${this.timeoutMs} ms`);
      }, this.timeoutMs);
      this.calls.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method: hash ? "eth_getBlockByHash" : "eth_getBlockByNumber", params: [what, false] }));
    }).then(
      (block) => {
        if (!block) throw new Error(`no block ${what}`);
        return { number: BigInt(block.number), hash: block.hash, parentHash: block.parentHash, transactions: block.transactions };
      },
      (error: Error) => {
        if (error instanceof SocketLost) return this.readOverHttp(hash);
        throw error;
      },
    );
  };

  start() {
    this.connect();
  }

  /** The newest head the node announced, with its transactions; undefined when not known to be current. */
  latest(): HeadBlock | undefined {
    const head = this.head;
    if (!head || !this.subscription || head.hash !== this.announced?.hash || head.number < this.seenElsewhere) return undefined;
    return head;
  }

  /** A head read or the follower reached `block`: announcements below it are stale. */
  saw(block: bigint) {
    if (block > this.seenElsewhere) this.seenElsewhere = block;
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
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
    socket.onopen = () => socket.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
    socket.onmessage = (message) => {
      if (this.socket !== socket) return; // dropped: what it still brings is not current
      this.heardAt = performance.now();
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
    // Both: the next subscription's first head must not be compared with this socket's last.
    this.announced = undefined;
    this.head = undefined;
    for (const [id, call] of this.calls) {
      clearTimeout(call.timer);
      call.reject(new SocketLost(`the WebSocket ${why}`));
      this.calls.delete(id);
    }
    socket.close();
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
    const call = message.id === undefined ? undefined : this.calls.get(message.id);
    if (call) {
      this.calls.delete(message.id!);
      clearTimeout(call.timer);
      if (message.error) call.reject(new RpcError(message.error.message ?? "the block read failed"));
      else call.resolve(message.result as RawBlock | null);
      return;
    }
    if (message.id === 1) {
      if (typeof message.result !== "string") return this.drop(this.socket!, "refused eth_subscribe");
      this.subscription = message.result;
      this.retryMs = 500;
      if (this.warned) this.log("new heads are followed again");
      this.warned = false;
      // Every block from here on is announced; the one the node is on now is read once.
      this.read().then(
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
    this.read(header.hash).then(
      (block) => {
        this.onBlock(block);
        if (block.hash === this.announced?.hash) this.head = block;
      },
      () => undefined, // the barrier falls back to its head read
    );
  }
}
