// How every Fastify instance of the server (the main thread's and each worker's) answers errors:
// bad input is the client's mistake, a 4xx that names what is wrong; a request whose nesting
// exhausts the stack is bad input too; anything else is a 500 that says nothing about the
// internals (the details go to the log).
import type { FastifyError, FastifyInstance } from "fastify";

export function installErrorHandling(server: FastifyInstance) {
  server.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : undefined;
    if (status) {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        const limit = request.routeOptions.bodyLimit;
        return reply.code(413).send({ error: "body-too-large", message: `The request body is larger than the ${limit}-byte limit`, limit });
      }
      const reason =
        error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "unsupported-content-type" : error.validation ? "invalid-request" : "bad-request";
      return reply.code(status).send({ error: reason, message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      server.log.warn(`database unavailable: ${error.message}`);
      return reply.code(503).send({ error: "database-unavailable", message: "The server cannot reach its database now; try again in a moment (scanners carry on offline)" });
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return reply.code(400).send({ error: "too-deep", message: "The request nests too deeply" });
    }
    server.log.error(error);
    if (process.env.CHAINPASS_DEBUG) console.error(error);
    return reply.code(500).send({ error: "internal", message: "Something went wrong on the server" });
  });
  server.setNotFoundHandler((request, reply) => reply.code(404).send({ error: "not-found", message: `No route ${request.method} ${request.url}` }));
}

/** Fastify options shared by every instance: refuse rather than coerce malformed input. */
export const STRICT_AJV = { customOptions: { coerceTypes: false, removeAdditional: false } } as const;

/** Token ids and amounts are bigints: they go out as decimal strings. */
export function serializeBigInts(server: FastifyInstance) {
  server.setReplySerializer((payload) => JSON.stringify(payload, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));
}

/**
 * SQLite's primary result codes for a database that cannot be written or read now, not a bad
 * statement: BUSY and LOCKED past the wait, READONLY (a file system remounted read-only after disk
 * errors), IOERR, FULL (the disk), CANTOPEN.
 */
const SQLITE_UNAVAILABLE = new Set([5, 6, 8, 10, 13, 14]);

/**
 * Whether `error` is the database out of reach, not a request's own fault: PostgreSQL's (a
 * refused, reset or timed-out connection, a server shutting down: SQLSTATE classes 08 and 57P) or
 * SQLite's file (its disk full, failing or read-only). A 503, never a 500: a scanner takes a 503
 * for the gate out of reach and decides on the device.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message, errcode } = (error ?? {}) as { code?: unknown; message?: unknown; errcode?: unknown };
  if (typeof code === "string" && (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"].includes(code) || /^(08|57P)/.test(code))) return true;
  // node:sqlite's errors carry the extended result code; its low byte is the primary one.
  if (code === "ERR_SQLITE_ERROR" && typeof errcode === "number" && SQLITE_UNAVAILABLE.has(errcode & 0xff)) return true;
  return typeof message === "string" && /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i.test(message);
}
