// Messages between the main thread and a worker thread (server/workers/host.ts, runtime.ts).
// Requests are answered once, by id; a worker may also post events of its own at any time
// (the gate's chain worker sends snapshot changes that way). Messages keep their order.

export interface WorkerRequest<T = unknown> {
  kind: "request";
  id: number;
  body: T;
}

export type WorkerReply<T = unknown> = { kind: "reply"; id: number; ok: true; result: T } | { kind: "reply"; id: number; ok: false; error: string };

export interface WorkerEvent<T = unknown> {
  kind: "event";
  body: T;
}

/** Sent once by the worker when its module is ready to take requests. */
export interface WorkerReady {
  kind: "ready";
}

/** The worker asks the main thread something (answered with a WorkerReturn). */
export interface WorkerCall<T = unknown> {
  kind: "call";
  id: number;
  body: T;
}

export type WorkerReturn<T = unknown> = { kind: "return"; id: number; ok: true; result: T } | { kind: "return"; id: number; ok: false; error: string };

export type FromWorker = WorkerReply | WorkerEvent | WorkerReady | WorkerCall;
export type ToWorker = WorkerRequest | WorkerReturn;
