// HTTP requests that one thread receives and another answers. The receiving thread reads the body
// (within the route's limit) and posts the request; the answering thread runs it through its own
// Fastify instance with `inject` (no socket) and posts the response back. Each side resolves the
// session from the cookie itself, from the same sessions table.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";

import { WorkerBusy, WorkerTimeout, WorkerUnavailable } from "./host.js";
import { MainTimeout } from "./runtime.js";

export interface ForwardedRequest {
  kind: "http";
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Uint8Array;
}

export interface ForwardedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Uint8Array;
}

export interface ForwardedRoute {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  /** Largest body accepted for this route (default: the server's bodyLimit). */
  bodyLimit?: number;
}

/** Headers that describe the connection, not the message: never copied across. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length", "host"]);

export interface ForwardOptions {
  /** The other side must answer within this time; otherwise 503 with `timeoutError`. */
  timeoutMs: number;
  /** The error code of a 503 when the answer does not come in time. */
  timeoutError: string;
  /** Called when the answer did not come in time (e.g. to restart a stuck worker). */
  onTimeout?: () => void;
}

/** Sends a forwarded request to the thread that answers it, within `timeoutMs`. */
export type Forward = (request: ForwardedRequest, timeoutMs: number) => Promise<ForwardedResponse>;

/**
 * Registers `routes` on `scope` (in their own child scope: the body is read as bytes, whatever
 * its type, and parsed by the other side) and forwards them with `send`.
 */
export function forwardRoutes(scope: FastifyInstance, send: Forward, routes: ForwardedRoute[], options: ForwardOptions) {
  scope.register(async (forwarded) => {
    forwarded.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code !== "FST_ERR_CTP_BODY_TOO_LARGE") throw error; // the server's own handler
      const limit = request.routeOptions.bodyLimit;
      return reply.code(413).send({ error: "too-large", message: `The upload is larger than the ${limit}-byte limit`, limit });
    });
    forwarded.removeAllContentTypeParsers();
    forwarded.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const headers: ForwardedRequest["headers"] = {};
      for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
      const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength) : undefined;
      let response: ForwardedResponse;
      try {
        response = await send({ kind: "http", method: request.method, url: request.url, headers, body }, options.timeoutMs);
      } catch (error) {
        if (error instanceof WorkerBusy) return reply.code(503).header("retry-after", "1").send({ error: "busy", message: error.message });
        if (error instanceof WorkerTimeout || error instanceof MainTimeout) {
          options.onTimeout?.();
          return reply.code(503).send({ error: options.timeoutError, message: error.message });
        }
        const message = error instanceof WorkerUnavailable ? error.message : "The request could not be answered now";
        return reply.code(503).send({ error: "unavailable", message });
      }
      for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) void reply.header(name, value);
      return reply.code(response.statusCode).send(Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength));
    };
    for (const route of routes) forwarded.route({ method: route.method, url: route.url, bodyLimit: route.bodyLimit, handler });
  });
}

/** The answering side: runs each forwarded request through `app`. */
export function answerForwarded(app: FastifyInstance) {
  return async (request: ForwardedRequest): Promise<ForwardedResponse> => {
    const response = await app.inject({
      method: request.method as HTTPMethods,
      url: request.url,
      headers: request.headers as Record<string, string>,
      payload: request.body ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : undefined,
    });
    return { statusCode: response.statusCode, headers: response.headers, body: new Uint8Array(response.rawPayload) };
  };
}
