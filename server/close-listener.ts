// Closing a listener for a rolling restart: no new requests, the ones under way answered, and then
// nothing left to wait for. Fastify's close() closes the keep-alive connections that are idle when
// it starts; a connection whose answer was still under way becomes idle a moment later and stays
// open, and close() waits for it until its keep-alive timeout (Fastify's default: 72 s). Every
// scanner and browser holds such connections, so each stop of the server waited out its drain
// limit (3 s a listener). Closing idle connections again until close() is done ends each one as
// soon as its last answer has gone.
import type { FastifyInstance } from "fastify";

/** How often idle connections are closed while the listener closes (ms). */
const SWEEP_MS = 50;

/** Closes `app`: the requests under way are answered, each connection is closed once idle. */
export async function closeListener(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_MS);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
