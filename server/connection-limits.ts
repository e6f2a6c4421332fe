// How much of a listener one client can hold. Each open connection holds a file descriptor of the
// process, and the gate server's two listeners (the gate's and the public one, in its worker) share
// one table: a client on the venue's network that opens connections and sends nothing, or sends its
// headers a byte at a time (slowloris), could use it up, and staff phones could no longer connect
// to the gate. So, on each listener:
// - a request's headers must arrive within `headersTimeoutMs`, the whole request within 5 minutes;
//   Node checks both every second here (its default check is every 30 s, and Fastify sets no
//   request limit at all);
// - one remote address holds at most `perAddress` connections: more are closed as they open.
//   A venue whose phones reach the gate through one NAT address, or through a proxy, shares that
//   number: it is a setting, 0 for none.
import type { Server } from "node:http";

export interface ConnectionLimits {
  /** Open connections one remote address may hold on a listener; more are closed at once (0: no limit). */
  perAddress: number;
  /** How long a request's headers may take to arrive (ms). */
  headersTimeoutMs: number;
}

/** How often Node looks for requests past their limits (its default: 30 s). */
const CHECK_EVERY_MS = 1_000;
/**
 * How long a whole request may take to arrive: Node's own default, which Fastify turns off. Either
 * listener may receive an upload of artwork (5 MB; the gate's forwards it), on a slow link.
 */
const REQUEST_LIMIT_MS = 300_000;

/** Fastify's options for a listener under `limits`. */
export function listenerOptions(limits: ConnectionLimits) {
  return {
    requestTimeout: Math.max(REQUEST_LIMIT_MS, limits.headersTimeoutMs),
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: CHECK_EVERY_MS },
  };
}

/** Closes each connection beyond `perAddress` from one remote address as it opens; says so in `log` at most every 10 s. */
export function limitConnectionsPerAddress(server: Server, perAddress: number, log: (message: string) => void) {
  if (perAddress <= 0) return;
  const open = new Map<string, number>();
  let closed = 0;
  let saidAt = 0;
  server.on("connection", (socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = open.get(address) ?? 0;
    if (count >= perAddress) {
      socket.destroy();
      closed++;
      if (Date.now() - saidAt > 10_000) {
        log(`closed ${closed} connection(s) from ${address} beyond its ${perAddress} open (CHAINPASS_MAX_CONNECTIONS_PER_ADDRESS)`);
        saidAt = Date.now();
        closed = 0;
      }
      return;
    }
    open.set(address, count + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
