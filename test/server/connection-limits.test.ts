// What one client can hold of the server's listeners (server/connection-limits.ts): connections
// from one address beyond the limit are closed as they open, and a request whose headers do not
// arrive in time (a silent connection, headers sent a byte at a time) is closed, so that a client
// on the venue's network cannot use up the file descriptors staff phones need. A reverse proxy's
// (or a NAT's) address, named in CHAINPASS_PROXY_ADDRESSES, is not limited per address.
import { expect } from "chai";
import { request } from "node:http";
import { connect, type Socket } from "node:net";

import { buildApp } from "../../server/app.js";
import { ConfigError } from "../../server/config.js";
import { plainAddress } from "../../server/connection-limits.js";
import { eventually } from "../helpers/eventually.js";
import { startLocalChain, testConfig, venueFixture } from "../helpers/server.js";

/** A TCP connection to `url`'s port that sends nothing unless told; `closed` settles when the server ends it. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  const opened = new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.on("error", () => undefined); // a reset is how the server may end it
  socket.resume(); // read what the server sends (its 408): a socket that reads nothing never sees the end
  return { socket, opened, closed };
}

/** GET /health over a connection of its own (no keep-alive pool holding connections open); the status or the error. */
const health = (url: string) =>
  new Promise<number | string>((resolve) => {
    const req = request(`${url}/health`, { agent: false, headers: { connection: "close" }, timeout: 10_000 }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.once("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.end();
  });

describe("Server: what one client can hold of the listeners", function () {
  this.timeout(30_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>>;
  let app: ReturnType<typeof buildApp>;
  let gateUrl: string;
  let limitedApp: (env?: Record<string, string>) => ReturnType<typeof buildApp>;
  let venue: Awaited<ReturnType<typeof venueFixture>>;

  before(async function () {
    this.timeout(120_000);
    chain = await startLocalChain();
    venue = await venueFixture(chain.clients);
    limitedApp = (env = {}) => buildApp(testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_MAX_CONNECTIONS_PER_ADDRESS: "5", CHAINPASS_HEADERS_TIMEOUT_MS: "1000", ...env }));
    app = limitedApp();
    // The gate's listener alone (app.listen() would start the public one's worker too: below).
    gateUrl = await app.server.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async function () {
    await app?.close();
    await chain?.rpc.close();
  });

  /** Holds 5 connections from this address, sees a sixth closed as it opens and a request refused, then a request answered once the 5 have closed. */
  async function fiveAndNoMore(url: string) {
    expect(await health(url), "before").to.equal(200);
    const held = Array.from({ length: 5 }, () => rawConnection(url));
    try {
      await Promise.all(held.map((c) => c.opened));
      const sixth = rawConnection(url);
      held.push(sixth);
      await sixth.opened;
      const cut = await Promise.race([sixth.closed.then(() => "closed"), new Promise((resolve) => setTimeout(() => resolve("still open"), 800))]);
      expect(cut, "the sixth connection").to.equal("closed");
      expect(await health(url), "a request beside the five held").to.be.oneOf(["ECONNRESET", "EPIPE", "socket hang up"]);
    } finally {
      // Also when an assertion failed: a connection left open would keep the server, and Mocha, from ending.
      for (const c of held) c.socket.destroy();
    }
    // The server counts them closed once their ends reach it, a moment after ours.
    await eventually(async () => (await health(url)) === 200, "a request once they have closed", 5_000);
  }

  it("the gate's listener closes connections from one address beyond 5 as they open, and takes new ones once those have closed", async function () {
    await fiveAndNoMore(gateUrl);
  });

  it("closes a connection that sends nothing, and one whose headers come a byte at a time, once its headers are late (1 s here)", async function () {
    const silent = rawConnection(gateUrl);
    const trickling = rawConnection(gateUrl);
    await Promise.all([silent.opened, trickling.opened]);
    const started = Date.now();
    trickling.socket.write("GET /health HTTP/1.1\r\nHost: gate.test\r\n");
    const drip = setInterval(() => trickling.socket.writable && trickling.socket.write("x"), 100);
    try {
      const [silentAfter, tricklingAfter] = (await Promise.all([silent.closed, trickling.closed])).map((at) => at - started);
      // Node looks for late headers every second: closed between the limit and a check later.
      for (const after of [silentAfter, tricklingAfter]) expect(after).to.be.within(900, 4_000);
    } finally {
      clearInterval(drip);
    }
    expect(await health(gateUrl), "the listener after them").to.equal(200);
  });

  it("the public listener (the web worker's) closes connections from one address beyond 5 too", async function () {
    this.timeout(90_000); // its worker starts now, at a low priority
    const server = limitedApp();
    try {
      const { url } = await server.listen();
      await fiveAndNoMore(url);
    } finally {
      await server.close();
    }
  });

  it("does not limit an address named in CHAINPASS_PROXY_ADDRESSES (a reverse proxy, a NAT): a sixth connection from it is served; a name that is not an IP address is refused at start", async function () {
    // 127.0.0.1 as a dual-stack listener would report it: the limit compares the plain address.
    const server = limitedApp({ CHAINPASS_PROXY_ADDRESSES: "10.0.0.2, ::ffff:127.0.0.1" });
    const held: ReturnType<typeof rawConnection>[] = [];
    try {
      const url = await server.server.listen({ host: "127.0.0.1", port: 0 });
      held.push(...Array.from({ length: 6 }, () => rawConnection(url)));
      await Promise.all(held.map((c) => c.opened));
      const cut = await Promise.race([Promise.race(held.map((c) => c.closed)).then(() => "closed"), new Promise((resolve) => setTimeout(() => resolve("all open"), 800))]);
      expect(cut, "six connections from the proxy's address").to.equal("all open");
      expect(await health(url), "a request beside them").to.equal(200);
    } finally {
      for (const c of held) c.socket.destroy();
      await server.close();
    }
    expect(["::FFFF:10.0.0.9", "FD00:0:0::2", "10.0.0.2"].map(plainAddress), "each written as a socket says it").to.deep.equal(["10.0.0.9", "fd00::2", "10.0.0.2"]);
    expect(() => testConfig(chain.rpcUrl, venue.platform, {}, { CHAINPASS_PROXY_ADDRESSES: "10.0.0.2,proxy.venue.lan" })).to.throw(
      ConfigError,
      'CHAINPASS_PROXY_ADDRESSES: "proxy.venue.lan" is not an IP address',
    );
  });
});
