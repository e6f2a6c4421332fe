// How much of a listener one client can hold. Each open connection holds a file descriptor of the
// process, and the gate server's two listeners (the gate's and the public one, in its worker) share
// one table: a client on the venue's network that opens connections and sends nothing, or sends its
// headers a byte at a time (slowloris), could use it up, and staff phones could no longer connect
// to the gate. So, on each listener:
// - a request's headers must arrive within `headersTimeoutMs`, the whole request within 5 minutes;
//   Node checks both every second here (its default check is every 30 s, and Fastify sets no
//   request limit at all);
// - one remote address holds at most `perAddress` connections: more are closed as they open.
//   Behind a reverse proxy every connection comes from the proxy's address, and a venue's phones
//   may reach the gate through one NAT address: those addresses are named in `unlimited`, and
//   their connections are not counted (the proxy limits its clients; the header limit still holds).
import { isIP } from "node:net";
import type { Server } from "node:http";

export interface ConnectionLimits {
  /** Open connections one remote address may hold on a listener; more are closed at once (0: no limit). */
  perAddress: number;
  /** Addresses whose connections `perAddress` does not limit: a reverse proxy's, a NAT's (CHAINPASS_PROXY_ADDRESSES). */
  unlimited: readonly string[];
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

/**
 * One spelling per address: an IPv4 address as a dual-stack listener reports it (`::ffff:10.0.0.1`)
 * as IPv4, an IPv6 address compressed and in lower case (`FD00:0::2` is `fd00::2`), as sockets say.
 */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  return isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/**
 * Closes each connection beyond `limits.perAddress` from one remote address as it opens, except
 * from `limits.unlimited`; says so in `log` at most every 10 s.
 */
export function limitConnectionsPerAddress(server: Server, limits: ConnectionLimits, log: (message: string) => void) {
  const { perAddress } = limits;
  if (perAddress <= 0) return;
  const unlimited = new Set(limits.unlimited.map(plainAddress));
  const open = new Map<string, number>();
  let closed = 0;
  let saidAt = 0;
  server.on("connection", (socket) => {
    const address = plainAddress(socket.remoteAddress ?? "unknown");
    if (unlimited.has(address)) return;
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
