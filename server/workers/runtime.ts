// The worker side of server/workers/host.ts: answers the main thread's requests with a handler,
// posts events of its own, and says when it is ready.
import { parentPort, workerData } from "node:worker_threads";

import type { FromWorker, ToWorker } from "./protocol.js";

/** What the main thread passed to this module (`WorkerHostOptions.data`). */
export function moduleData<T>(): T {
  return (workerData as { module: T }).module;
}

/** Posts an event to the main thread. */
export function emit(body: unknown) {
  parentPort!.postMessage({ kind: "event", body } satisfies FromWorker);
}

/**
 * Answers every request with `handle` (errors are sent back as messages, never thrown here) and
 * tells the main thread that this worker is ready.
 */
export function serve<Req, Res>(handle: (body: Req) => Promise<Res> | Res) {
  const port = parentPort!;
  port.on("message", (message: ToWorker) => {
    if (message?.kind === "return") return settleCall(message);
    if (message?.kind !== "request") return;
    void (async () => {
      let reply: FromWorker;
      try {
        reply = { kind: "reply", id: message.id, ok: true, result: await handle(message.body as Req) };
      } catch (error) {
        reply = { kind: "reply", id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage({ kind: "ready" } satisfies FromWorker);
}

const calls = new Map<number, { resolve(result: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
let nextCall = 1;

function settleCall(message: Extract<ToWorker, { kind: "return" }>) {
  const call = calls.get(message.id);
  if (!call) return;
  calls.delete(message.id);
  clearTimeout(call.timer);
  if (message.ok) call.resolve(message.result);
  else call.reject(new Error(message.error));
}

/** Thrown by callMain when the main thread does not answer in time. */
export class MainTimeout extends Error {}

/** Asks the main thread (its `WorkerHostOptions.onCall`); rejects after `timeoutMs`. */
export function callMain<Res>(body: unknown, timeoutMs: number): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const id = nextCall++;
    const timer = setTimeout(() => {
      calls.delete(id);
      reject(new MainTimeout(`the main thread did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    calls.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
    parentPort!.postMessage({ kind: "call", id, body } satisfies FromWorker);
  });
}
