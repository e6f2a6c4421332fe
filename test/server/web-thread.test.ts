// The web thread (the public listener, the index, uploads) can die and be replaced without the
// door noticing: the gate's own listener answers throughout, and the new web thread listens on the
// port the first one had, also when that port was the system's choice (CHAINPASS_PORT=0). A web
// thread slow to start (nice 19 on a busy machine) does not stop the server from starting.
import { createServer } from "node:http";

import { expect } from "chai";

import { buildApp, type App } from "../../server/app.js";
import { eventually } from "../helpers/eventually.js";
import { serverEnv, signInOverHttp, spawnServer, startLocalChain, tempDatabase, testConfig, venueFixture } from "../helpers/server.js";

describe("Server: a web thread that dies is replaced on the same public port", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof startLocalChain>> | undefined;
  let app: App | undefined;

  after(async () => {
    await app?.close();
    await chain?.rpc.close();
  });

  it("answers again at the same URL, while the gate's listener answers throughout", async function () {
    chain = await startLocalChain();
    const venue = await venueFixture(chain.clients);
    app = buildApp(testConfig(chain.rpcUrl, venue.platform));
    expect(app.config.port, "the system picks the public port").to.equal(0);
    const { url, gateUrl } = await app.listen();
    expect((await fetch(`${url}/health`)).ok).to.equal(true);

    const restarted = app.restartWeb();
    // Staff sign in at the gate's listener while the web thread is being replaced.
    const cookie = await signInOverHttp(gateUrl, venue.staff);
    expect(cookie).to.be.a("string").and.not.equal("");
    await restarted;

    const health = await eventually(
      async () => {
        const response = await fetch(`${url}/health`).catch(() => undefined);
        return response?.ok ? response : undefined;
      },
      `the public listener answers again at ${url}`,
      30_000,
    );
    expect(await health.json()).to.deep.equal({ ok: true });
  });

  it("starts when the web thread takes longer than the wait for it: the gate listens meanwhile, the public listener when its thread is ready", async function () {
    chain ??= await startLocalChain();
    const venue = await venueFixture(chain.clients);
    // No web thread is ready within 20 ms (it loads Fastify, the index, the upload checks): each
    // wait runs out, as a 30 s one does on a machine busy enough, and listen() waits on.
    const slow = buildApp(testConfig(chain.rpcUrl, venue.platform), { webReadyMs: 20 });
    try {
      const listening = slow.listen();
      listening.catch(() => undefined); // awaited below: its failure is the test's, not an unhandled rejection
      const gateUrl = await eventually(async () => (slow.server.server.listening ? `http://127.0.0.1:${(slow.server.server.address() as { port: number }).port}` : undefined), "the gate listens", 10_000);
      expect((await fetch(`${gateUrl}/health`)).ok, "the gate's listener, before the public one").to.equal(true);
      const { url } = await listening;
      expect((await fetch(`${url}/health`)).ok, "the public listener, once its thread is ready").to.equal(true);
    } finally {
      await slow.close();
    }
  });

  it("as a process: says the ports the system chose once it listens; on a port another server holds, it exits, and is not taken for that server", async function () {
    chain ??= await startLocalChain();
    const venue = await venueFixture(chain.clients);
    const env = serverEnv(chain.rpcUrl, venue.platform, tempDatabase(), { CHAINPASS_INDEXER: "false" });
    const server = await spawnServer(env);
    try {
      expect(server.supervised.output()).to.match(/chainpass server: API http:\/\/127\.0\.0\.1:\d+, gate http:\/\/127\.0\.0\.1:\d+/);
      expect(await (await fetch(`${server.url}/auth/session`)).json()).to.deep.equal({ signedIn: false });
      expect(await signInOverHttp(server.url, venue.staff)).to.match(/^chainpass_session=/);
    } finally {
      await server.stop();
    }

    // Another lane's server on the public port this one is told to use: its /health answers.
    const other = createServer((_request, response) => response.end(JSON.stringify({ ok: true })));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      const port = (other.address() as { port: number }).port;
      const started = spawnServer({ ...env, CHAINPASS_PORT: String(port), CHAINPASS_GATE_PORT: "0" });
      const failure = await started.then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failure?.message).to.match(/exited before it listened[\s\S]*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
