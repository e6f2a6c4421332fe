// Worker threads for everything that must not run on the gate's thread: the local index (queries
// and its chain follower), uploads (SVG sanitising), offers, and the gate's own chain follower.
// The main thread keeps the HTTP server, sign-in and the scan; each worker runs one module and
// is restarted if it dies (out of memory, a bug), while the scan path goes on.
//
//   const index = new WorkerHost({ name: "index", entry: new URL("../indexer/worker.ts", import.meta.url), data, nice: 10 });
//   const answer = await index.request(body, 5_000);   // WorkerUnavailable / WorkerTimeout
//   index.standing("follow", { kind: "start" });        // sent once ready, and after every restart
import { Worker } from "node:worker_threads";

import { within } from "../../lib/time-limit.js";
import { bundledEntry } from "./bundle.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const BOOTSTRAP = new URL("./bootstrap.mjs", import.meta.url);

/** The worker is starting, restarting or was closed: the request was not (or not fully) handled. */
export class WorkerUnavailable extends Error {}
/** The worker did not answer in time. */
export class WorkerTimeout extends Error {}
/** The worker was not ready within the time limit: the request was never sent to it. */
export class WorkerNotReady extends WorkerTimeout {}
/** The worker has as many requests waiting as it may: shed this one rather than queue it. */
export class WorkerBusy extends Error {}

export interface WorkerHostOptions {
  name: string;
  /** The module the worker runs (a .ts file; it calls `serve` from runtime.ts). */
  entry: URL;
  /** Passed to the module (`moduleData()`); structured-cloned. */
  data?: unknown;
  /** Nice value for the worker's thread (Linux: per thread), so the gate's thread goes first. */
  nice?: number;
  /** Heap limit of the worker: a runaway dies alone (and is restarted), not the process. */
  maxHeapMb?: number;
  /** Requests waiting for the worker at most; more are refused with WorkerBusy. Default unbounded. */
  maxInFlight?: number;
  /** Events the worker posts (`emit`). */
  onEvent?: (body: unknown) => void;
  /** Answers the worker's questions (`callMain`). */
  onCall?: (body: unknown) => Promise<unknown>;
  /** Called after a restart has made the worker ready again. */
  onRestart?: () => void;
  log?: (message: string) => void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** Node flags of this process minus the tsx loader, which bootstrap.mjs registers in the worker. */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((arg === "--import" || arg === "--require" || arg === "--loader") && /tsx/.test(args[i + 1] ?? "")) {
      i++;
      continue;
    }
    if (/^--(import|require|loader)=.*tsx/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}

/**
 * A worker thread running one module. It starts on the first request (a server that never needs
 * a module never pays for loading it) and is restarted when it dies.
 */
export class WorkerHost<Req = unknown, Res = unknown> {
  private worker?: Worker;
  private ready!: Promise<void>;
  private isReady = false;
  /** Standing orders (`standing`), by key: each worker this host starts gets them once ready. */
  private readonly orders = new Map<string, Req>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private restarts = 0;

  constructor(private readonly options: WorkerHostOptions) {}

  private spawn() {
    const { options } = this;
    const worker = new Worker(BOOTSTRAP, {
      workerData: { bootstrap: { entry: options.entry.href, bundled: bundledEntry(options.entry), nice: options.nice ?? 0 }, module: options.data },
      execArgv: workerExecArgv(),
      resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
      name: `chainpass-${options.name}`,
    });
    this.worker = worker;
    this.isReady = false;
    let markReady: () => void;
    let failStart: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    this.ready.catch(() => undefined); // awaited by requests; a failed start is reported there
    worker.on("message", (message: FromWorker) => {
      // A worker replaced by restart() runs until terminated: what it still sends is not the new one's.
      if (this.worker !== worker) return;
      if (message.kind === "ready") {
        this.isReady = true;
        markReady();
        if (this.restarts > 0) options.onRestart?.();
        for (const body of this.orders.values()) this.post(body);
      } else if (message.kind === "event") {
        options.onEvent?.(message.body);
      } else if (message.kind === "call") {
        const answer = options.onCall ? options.onCall(message.body) : Promise.reject(new Error("the main thread takes no calls"));
        void answer.then(
          (result) => worker.postMessage({ kind: "return", id: message.id, ok: true, result } satisfies ToWorker),
          (error: unknown) => worker.postMessage({ kind: "return", id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies ToWorker),
        );
      } else if (message.kind === "reply") {
        const pending = this.pending.get(message.id);
        if (!pending) return; // timed out already
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(new Error(message.error));
      }
    });
    worker.on("error", (error) => options.log?.(`${options.name} worker failed: ${error.message}`));
    worker.on("exit", (code) => {
      if (this.worker !== worker) return; // replaced by restart()
      failStart(new WorkerUnavailable(`the ${options.name} worker exited (code ${code}) before it was ready`));
      this.failPending(new WorkerUnavailable(`the ${options.name} worker stopped`));
      if (this.closed) return;
      options.log?.(`${options.name} worker exited with code ${code}; restarting`);
      this.restarts++;
      // Back off a little if it keeps dying, so a broken module cannot spin a core.
      setTimeout(() => !this.closed && this.spawn(), Math.min(5_000, 100 * this.restarts)).unref();
    });
  }

  private failPending(error: Error) {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  /** Sends `body` and resolves with the worker's answer; rejects after `timeoutMs`. */
  async request(body: Req, timeoutMs: number): Promise<Res> {
    if (this.closed) throw new WorkerUnavailable(`the ${this.options.name} worker is closed`);
    if (this.options.maxInFlight !== undefined && this.pending.size >= this.options.maxInFlight) {
      throw new WorkerBusy(`the ${this.options.name} worker has ${this.pending.size} requests waiting`);
    }
    const started = Date.now();
    await this.whenReady(timeoutMs);
    if (this.closed) throw new WorkerUnavailable(`the ${this.options.name} worker is closed`);
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return new Promise<Res>((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new WorkerTimeout(`the ${this.options.name} worker did not answer within ${timeoutMs} ms`));
      }, left);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      this.worker!.postMessage({ kind: "request", id, body } satisfies ToWorker);
    });
  }

  /**
   * A standing order, such as "follow the chain": `body` goes to the worker as soon as it is
   * ready, and again to every worker started after it (a restart), with no time limit. A request
   * with a deadline would be dropped when the worker starts slowly (a loaded machine, a cold
   * disk), and its loop would then never run. A later order under the same key replaces it.
   */
  standing(key: string, body: Req): void {
    if (this.closed) return;
    this.orders.set(key, body);
    if (!this.worker) this.spawn(); // posted when it is ready
    else if (this.isReady) this.post(body);
  }

  /** Sends an order to the ready worker; its answer is not awaited, a refusal is logged. */
  private post(body: Req) {
    const id = this.nextId++;
    this.pending.set(id, {
      resolve: () => undefined,
      reject: (error) => {
        if (!(error instanceof WorkerUnavailable)) this.options.log?.(`${this.options.name} worker refused a standing order: ${error.message}`);
      },
    });
    this.worker!.postMessage({ kind: "request", id, body } satisfies ToWorker);
  }

  /**
   * Starts the worker if it is not running and waits until it is ready; with `timeoutMs`, for
   * that long at most (then WorkerNotReady: nothing was sent to it).
   */
  whenReady(timeoutMs?: number): Promise<void> {
    if (!this.worker && !this.closed) this.spawn();
    if (timeoutMs === undefined) return this.ready;
    return within(this.ready, timeoutMs, () => {
      throw new WorkerNotReady(`the ${this.options.name} worker is not ready`);
    });
  }

  /** Stops the worker and starts a new one (a worker stuck in a runaway cannot answer anyway). */
  async restart(): Promise<void> {
    const old = this.worker;
    this.restarts++;
    this.failPending(new WorkerUnavailable(`the ${this.options.name} worker was restarted`));
    this.spawn();
    await old?.terminate();
  }

  /**
   * Ends the worker. With `goodbye`, a worker that is running gets that request first and up to
   * its `timeoutMs` to answer (its last work: a listener drained, a lease handed back); one still
   * starting, or never started, is ended without it.
   */
  async close(goodbye?: { body: Req; timeoutMs: number }): Promise<void> {
    if (goodbye && this.isReady && !this.closed) await this.request(goodbye.body, goodbye.timeoutMs).catch(() => undefined);
    this.closed = true;
    this.failPending(new WorkerUnavailable(`the ${this.options.name} worker is closed`));
    await this.worker?.terminate();
  }
}
