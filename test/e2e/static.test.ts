// The static build (`npm run build:web -- --network <name>`, scripts/build-web.ts) from a plain
// static file server: no fallback to index.html, the app under a sub-path, on an origin of its
// own. The chain (the Hardhat node), the index and the content (the server) are each on theirs,
// reached through the absolute URLs baked into the build and the server's CORS allowlist
// (CHAINPASS_APP_ORIGINS). The event page shows the seeded concert (name, venue from its IPFS
// metadata, tiers from the index), from the home page and from a deep link, also reloaded; gate
// staff sign in from the site and admit a pass.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { expect } from "chai";
import type { Browser, Page } from "playwright-core";

import { serveStatic } from "../../scripts/lib/static-host.js";
import { reservePort, runToEnd, supervise } from "../../scripts/lib/supervisor.js";
import { ConfigError, configFromEnv } from "../../server/config.js";
import { fanPasses } from "../helpers/server.js";
import { launchBrowser, newPage, type PageLog, WITH_SERVICE_WORKER } from "./support/browser.js";
import { connectWallet, eventually, PHONE, signIn, waitForText } from "./support/flows.js";
import { DEMO_ACCOUNTS, localAccount, startStack, type Stack } from "./support/stack.js";
import { installWallet } from "./support/wallet.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SUB_PATH = "/some/sub/path/";
const BUILD_WEB = ["--no-warnings", "--import", "tsx", "scripts/build-web.ts"];
/** A page's console errors (none expected: nobody signed in is not an error). */
const unexpected = (log: PageLog) => log.errors;

/** Runs scripts/build-web.ts with `args`; its exit code and what it printed. */
async function buildWeb(args: string[]): Promise<{ code: number | null; output: string }> {
  const run = supervise("build:web", process.execPath, [...BUILD_WEB, ...args], { cwd: ROOT });
  const { code } = await run.exited;
  return { code, output: run.output() };
}

describe("The static build: any static host, any sub-path, no server-side routing", function () {
  this.timeout(60_000);
  let stack: Stack;
  let browser: Browser;
  let outDir: string;
  let site: ReturnType<typeof serveStatic>;
  let siteOrigin: string;
  let appUrl: string;
  let page: Page | undefined;
  let log: PageLog | undefined;

  before(async function () {
    this.timeout(300_000);
    const { port: sitePort, release: releaseSitePort } = await reservePort(); // held until the site listens
    siteOrigin = `http://127.0.0.1:${sitePort}`;
    appUrl = `${siteOrigin}${SUB_PATH}`;
    // No `vite preview`: the site is the static build below, on an origin the server allows.
    stack = await startStack({ seed: true, app: false, serverEnv: { CHAINPASS_APP_ORIGINS: siteOrigin } });
    outDir = mkdtempSync(join(tmpdir(), "chainpass-static-"));
    await runToEnd("build:web", process.execPath, [...BUILD_WEB, "--network", "localhost", "--rpc-url", stack.rpcUrl, "--server-url", stack.serverUrl, "--out-dir", outDir], { cwd: ROOT });
    await releaseSitePort();
    site = serveStatic(outDir, SUB_PATH, sitePort);
    await site.listen();
    browser = await launchBrowser();
    await stack.waitForIndex();
  });
  after(async function () {
    await browser?.close();
    await site?.close();
    await stack?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state === "failed" && log) console.log(log.all.slice(-30).join("\n"));
    await page?.context().close();
    page = undefined;
  });

  async function open(url: string) {
    ({ page, log } = await newPage(browser, WITH_SERVICE_WORKER));
    const calls: string[] = [];
    page.on("request", (request) => calls.push(request.url()));
    await page.goto(url);
    return { page, calls };
  }

  /** The concert's page: its name, its venue (IPFS metadata through the server) and its tiers (the index). */
  async function expectConcertPage(p: Page) {
    await waitForText(p.locator("h1"), "Harbour Lights Live");
    await waitForText(p.locator(".event-hero"), "Harbour Hall, Shanghai");
    await p.getByTestId("tier-1").waitFor();
    expect(await p.getByTestId("tier-1").innerText()).to.contain("Standing");
  }

  it("from the home page under a sub-path: the event list, then the concert's page, through the server on its own origin", async function () {
    const { page: p, calls } = await open(appUrl);
    const concert = stack.demo!.concert.toLowerCase();
    const card = p.locator(`[data-testid="event-card"][data-event="${concert}"]`);
    await card.click();
    await expectConcertPage(p);
    expect(p.url()).to.equal(`${appUrl}#/events/${concert}`);
    // The index and the content came from the server's origin, cross-origin.
    expect(calls.some((url) => url.startsWith(`${stack.serverUrl}/subgraphs/`)), "index queries at the server").to.equal(true);
    expect(calls.some((url) => url.startsWith(`${stack.serverUrl}/ipfs/`)), "metadata from the server's /ipfs").to.equal(true);
    // The static host was only ever asked for files it has, all under the sub-path (relative asset URLs).
    expect(site.requests.filter((r) => r.status !== 200)).to.deep.equal([]);
    expect(site.requests.every((r) => r.path.startsWith(SUB_PATH))).to.equal(true);
    expect(site.requests.some((r) => r.path === `${SUB_PATH}favicon.svg`), "the favicon, relative").to.equal(true);
    expect(unexpected(log!)).to.deep.equal([]);
  });

  it("a deep link opens the event page directly, and again after a reload", async function () {
    const concert = stack.demo!.concert.toLowerCase();
    const { page: p } = await open(`${appUrl}#/events/${concert}`);
    await expectConcertPage(p);
    await p.reload();
    await expectConcertPage(p);
    // index.html as a file name works as well as the folder.
    await p.goto(`${appUrl}index.html#/events/${concert}`);
    await expectConcertPage(p);
    expect(site.requests.filter((r) => r.status !== 200)).to.deep.equal([]);
    expect(unexpected(log!)).to.deep.equal([]);
  });

  it("the service worker lives under the sub-path: its scope, its precache fetched from there, and the app reloads offline", async function () {
    const since = site.requests.length;
    const { page: p } = await open(appUrl);
    await p.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 30_000 });
    const registration = await p.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return { scope: r.scope, script: r.active?.scriptURL };
    });
    expect(registration).to.deep.equal({ scope: appUrl, script: `${appUrl}sw.js` });
    // The manifest is relative too: the installed app starts in this folder.
    const manifest = await (await p.request.get(`${appUrl}manifest.webmanifest`)).json();
    expect(manifest).to.include({ start_url: "./", scope: "./" });
    // The precache (the app shell) came from the static host, every file under the sub-path.
    const requests = site.requests.slice(since);
    // Fetched at least once: a worker of the previous test's closed context may have fetched it
    // too, and the host logs that request after this test began (seen once on a loaded machine).
    const passChunk = requests.filter((r) => r.path.includes("/assets/PassPage-")).map((r) => r.status);
    expect(passChunk.length, "the pass route's chunk, precached").to.be.greaterThan(0);
    expect(passChunk.every((status) => status === 200), `the pass route's chunk's answers: ${passChunk.join(", ")}`).to.equal(true);
    expect(requests.filter((r) => r.status !== 200)).to.deep.equal([]);
    expect(requests.every((r) => r.path.startsWith(SUB_PATH))).to.equal(true);
    // No network: a reload still opens the app (the shell from the worker; the events need the server).
    await p.context().setOffline(true);
    try {
      await p.reload();
      await p.getByTestId("app-offline").waitFor();
      expect(await p.locator("header .brand").innerText()).to.contain("Chainpass");
    } finally {
      await p.context().setOffline(false);
    }
  });

  it("the server answers CORS for the allowed origin, never with credentials, and to no other origin", async function () {
    const graphql = (origin: string) =>
      fetch(`${stack.serverUrl}/subgraphs/name/chainpass`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const allowed = await graphql(siteOrigin);
    expect(allowed.status).to.equal(204);
    expect(allowed.headers.get("access-control-allow-origin")).to.equal(siteOrigin);
    expect(allowed.headers.get("access-control-allow-headers")).to.contain("content-type");
    expect(allowed.headers.get("access-control-allow-credentials")).to.equal(null);
    expect((await graphql("http://elsewhere.test")).headers.get("access-control-allow-origin")).to.equal(null);

    const offers = await fetch(`${stack.serverUrl}/events/${stack.demo!.conference}/vouchers/${stack.demo!.vouchers[0]}`, { headers: { origin: siteOrigin } });
    expect(offers.headers.get("access-control-allow-origin")).to.equal(siteOrigin);
    expect(offers.headers.get("vary")).to.match(/origin/i);
    const admitted = await fetch(`${stack.serverUrl}/gate/${stack.demo!.concert}/admitted?tokens=1000001`, { headers: { origin: siteOrigin } });
    expect(admitted.headers.get("access-control-allow-origin"), "the door's public answer").to.equal(siteOrigin);
    // The app asks for the session on every page: cross-origin without a token it is "not signed in".
    const session = await fetch(`${stack.serverUrl}/auth/session`, { headers: { origin: siteOrigin } });
    expect([session.status, await session.json(), session.headers.get("access-control-allow-origin")]).to.deep.equal([200, { signedIn: false }, siteOrigin]);
    // Signed-in requests (sign-in, scans) carry the session as a bearer token: allowed for the origin by name.
    const nonce = await fetch(`${stack.serverUrl}/auth/nonce`, { headers: { origin: siteOrigin } });
    expect(nonce.headers.get("access-control-allow-origin")).to.equal(siteOrigin);
    const scanFrom = (origin: string) =>
      fetch(`${stack.serverUrl}/gate/${stack.demo!.concert}/scan`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
    const scan = await scanFrom(siteOrigin);
    expect(scan.headers.get("access-control-allow-origin")).to.equal(siteOrigin);
    expect(scan.headers.get("access-control-allow-headers")).to.contain("authorization");
    expect(scan.headers.get("access-control-allow-credentials")).to.equal(null);
    expect((await scanFrom("http://elsewhere.test")).headers.get("access-control-allow-origin")).to.equal(null);
  });

  it("gate staff sign in on the static site (SIWE for its origin, the session as a bearer token) and admit a pass", async function () {
    const concert = stack.demo!.concert;
    const staff = localAccount(DEMO_ACCOUNTS.gateStaff);
    ({ page, log } = await newPage(browser, { ...PHONE, ...WITH_SERVICE_WORKER }));
    await installWallet(page, { account: staff, rpcUrl: stack.rpcUrl });
    await page.goto(`${appUrl}#/gate/${concert}`);
    await connectWallet(page, staff.address);
    const verified = page.waitForResponse((r) => r.url() === `${stack.serverUrl}/auth/verify`);
    await signIn(page);
    const answer = (await (await verified).json()) as { address: string; token?: string };
    expect(answer.address).to.equal(staff.address);
    expect(answer.token, "a token, since the server's cookie would be third-party here").to.be.a("string");
    // The scanner reads the gate's status with it, then scans: fan 6's Standing ticket 1000003.
    await eventually(async () => /^\d+$/.test((await page!.getByTestId("event-admitted-count").innerText()).trim()), "the gate status on screen", 15_000);
    const pass = await (await fanPasses(localAccount(6), concert, 61)).pass(1_000_003n);
    const scanned = page.waitForResponse((r) => r.url() === `${stack.serverUrl}/gate/${concert.toLowerCase()}/scan`);
    await page.getByTestId("manual-pass").fill(pass);
    await page.getByTestId("manual-submit").click();
    const response = await scanned;
    expect(response.request().headers().authorization).to.equal(`Bearer ${answer.token}`);
    expect([response.status(), (await response.json()).verdict]).to.deep.equal([200, "admit"]);
    await page.locator('[data-testid="verdict"][data-verdict="admit"]').waitFor();
    // Reloaded, the site is still signed in (the token is kept); signed out, the token is gone.
    await page.reload();
    await eventually(async () => /^\d+$/.test((await page!.getByTestId("event-admitted-count").innerText()).trim()), "still signed in after a reload", 15_000);
    expect(await page.getByTestId("sign-in").count()).to.equal(0);
    expect(unexpected(log!)).to.deep.equal([]);
  });

  it("CHAINPASS_APP_ORIGINS takes origins or *, and names a bad entry", function () {
    const env = { CHAINPASS_FACTORY: stack.platform.factory };
    expect(configFromEnv(env).appOrigins).to.deep.equal([]);
    expect(configFromEnv({ ...env, CHAINPASS_APP_ORIGINS: " https://app.example.com, http://127.0.0.1:8080,https://app.example.com" }).appOrigins).to.deep.equal([
      "https://app.example.com",
      "http://127.0.0.1:8080",
    ]);
    expect(configFromEnv({ ...env, CHAINPASS_APP_ORIGINS: "*" }).appOrigins).to.deep.equal(["*"]);
    for (const bad of ["https://app.example.com/", "https://app.example.com/app", "app.example.com", "ftp://app.example.com"]) {
      expect(() => configFromEnv({ ...env, CHAINPASS_APP_ORIGINS: bad }), bad).to.throw(ConfigError, /CHAINPASS_APP_ORIGINS/);
    }
  });

  it("build:web names what is missing: an unknown network, the server URL, a relative RPC URL", async function () {
    const unknown = await buildWeb(["--network", "nowhere"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.output).to.contain('unknown network "nowhere"').and.to.contain("localhost (chain 31337)");
    const noServer = await buildWeb(["--network", "localhost", "--rpc-url", stack.rpcUrl]);
    expect(noServer.code).to.equal(2);
    expect(noServer.output).to.contain("--server-url is missing");
    const relativeRpc = await buildWeb(["--network", "localhost", "--server-url", stack.serverUrl]);
    expect(relativeRpc.code).to.equal(2);
    expect(relativeRpc.output).to.contain("--rpc-url is missing").and.to.contain('"/rpc"');
  });
});
