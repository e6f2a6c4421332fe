// The whole product for one browser test: Hardhat's node in this process (fresh chain, so the
// contracts land on lib/networks.ts's LOCALHOST addresses the built app knows), Chainpass
// deployed, the server as its own process (as `npm run dev` runs it), optionally the demo
// content, and the BUILT web app served by `vite preview`, which proxies /rpc, /auth, /ipfs,
// /subgraphs, /gate ... to the node and the server. The browser only ever talks to the app's
// origin, as in production behind one host.
//
//   let stack: Stack;
//   before(async function () {
//     this.timeout(300_000); // the first stack of a run builds the app
//     stack = await startStack({ seed: true });
//   });
//   after(() => stack?.stop());
//
// stop() is idempotent; child processes are also killed when this process exits, so a failing
// test leaves nothing running.
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";

import { isAddressEqual, toHex, type Address } from "viem";

import { LOCALHOST } from "../../../lib/networks.js";
import { deployPlatform, localAccount, localClients, startLocalNode, waitForIndex, type LocalClients, type Platform } from "../../../scripts/lib/local-chain.js";
import { freePort, onShutdown, reservePort, runToEnd, supervise, tempFolder, waitForUrl, type Supervised } from "../../../scripts/lib/supervisor.js";
import { DEMO_ACCOUNTS, seedDemo, type DemoEvents } from "../../../scripts/seed-demo.js";
import { startLocalPasskeys } from "../../../scripts/lib/account-stack.js";
import { startRpcLink, type RpcLink } from "../../helpers/rpc-link.js";
import { serverEnv, spawnServer, type ServerProcess } from "../../helpers/server.js";

export type { RpcLink };

export { DEMO_ACCOUNTS, localAccount };

const ROOT = resolve(import.meta.dirname, "../../..");
const VITE = join(ROOT, "node_modules/vite/bin/vite.js");
export const FRONTEND_CONFIG = "frontend/vite.config.ts";
// CHAINPASS_E2E_DIST: build and serve the app from another folder, so that two checkouts' worth of
// work (or two people) can run browser tests at once without removing each other's chunks.
const OWN_DIST = process.env.CHAINPASS_E2E_DIST ? resolve(process.env.CHAINPASS_E2E_DIST) : undefined;
export const FRONTEND_DIST = OWN_DIST ?? join(ROOT, "frontend/dist");

export interface StackOptions {
  /** Seed the demo events (scripts/seed-demo.ts). Default false. */
  seed?: boolean;
  /** Build and serve the web app. Default true; false gives chain and server only. */
  app?: boolean;
  /**
   * Serve this build of the app (buildFrontendInto) instead of frontend/dist, which is then
   * neither built nor served: a test of another configuration (a network with ENS...).
   */
  appOutDir?: string;
  /** More environment for the server (e.g. CHAINPASS_MAX_FRAME_AGE). */
  serverEnv?: Record<string, string>;
  /**
   * Put a switchable TCP proxy between the server and the node, so that a test can take the
   * server's chain connection down and bring it back (`stack.rpcLink`). Only the server goes
   * through it; the app's /rpc, the test wallet and `clients` talk to the node directly. Default false.
   */
  rpcLink?: boolean;
  /**
   * Passkey accounts: the EntryPoint and the accounts' contracts deployed (at lib/networks.ts's
   * addresses), the platform's gas budget funded, the bundler (Alto) started and the server's
   * sponsorship service on. Default false.
   */
  passkeys?: boolean;
}

export interface Stack {
  /** The web app's origin, e.g. http://127.0.0.1:41234 (empty when `app: false`). */
  appUrl: string;
  /** The node's JSON-RPC URL, for Node-side clients and the test wallet. */
  rpcUrl: string;
  serverUrl: string;
  /** SIWE domain and origin the server expects: the app's. */
  siwe: { domain: string; origin: string };
  clients: LocalClients;
  platform: Platform;
  /** The demo events, when seeded. */
  demo?: DemoEvents;
  server: ServerProcess;
  /** With `passkeys: true`: the bundler's URL (Alto), as Node reaches it. */
  bundlerUrl?: string;
  /** With `rpcLink: true`: takes the server's connection to the node down and up. */
  rpcLink?: RpcLink;
  /** Waits until the server's index has processed the chain's latest block. */
  waitForIndex(timeoutMs?: number): Promise<void>;
  /** The last lines the app server (vite preview) printed, for failure messages. */
  appLog(): string;
  /**
   * For a failure message: the check-in writer's batches for `event` and its admissions not yet
   * in one (read from the server's SQLite file), the node's block and the server's last output.
   */
  writerReport(event: Address): Promise<string>;
  /** Stops the app, the server and the node; removes the temporary database. Idempotent. */
  stop(): Promise<void>;
}

// Child processes belong to scripts/lib/supervisor.ts: they die with this process however it ends.
export { freePort };

// ---------------------------------------------------------------- the web app

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Whether frontend/dist is newer than every source it is built from. */
export function frontendIsBuilt(): boolean {
  const index = join(FRONTEND_DIST, "index.html");
  if (!existsSync(index)) return false;
  const sources = ["frontend", "lib", "package.json", "package-lock.json"].map((p) => newestMtime(join(ROOT, p)));
  return statSync(index).mtimeMs > Math.max(...sources);
}

/** `vite build` of the app with more arguments and build-time environment. */
async function viteBuild(args: string[], env: Record<string, string> = {}): Promise<void> {
  // Not spawnSync: that would block the event loop (and the in-process node) for the whole build.
  // NODE_ENV: hardhat-mocha sets it to "test", and Vite would then bundle React's development build.
  await runToEnd("vite build", process.execPath, [VITE, "build", "--config", FRONTEND_CONFIG, "--logLevel", "warn", ...args], {
    cwd: ROOT,
    env: { NODE_ENV: "production", ...env },
  });
}

let build: Promise<void> | undefined;

/**
 * Builds the web app (`vite build`) at most once per test process, and not at all when
 * frontend/dist is already newer than its sources. CHAINPASS_E2E_REBUILD=1 forces a build.
 */
export function buildFrontend(): Promise<void> {
  build ??= (async () => {
    if (!existsSync(join(ROOT, FRONTEND_CONFIG))) throw new Error(`${FRONTEND_CONFIG} does not exist: there is no web app to test`);
    if (!process.env.CHAINPASS_E2E_REBUILD && frontendIsBuilt()) return;
    const started = Date.now();
    await viteBuild(OWN_DIST ? ["--outDir", OWN_DIST, "--emptyOutDir"] : []);
    if (!existsSync(join(FRONTEND_DIST, "index.html"))) throw new Error(`vite build wrote no ${FRONTEND_DIST}/index.html`);
    if (process.env.CHAINPASS_E2E_VERBOSE) console.log(`    [e2e] web app built in ${Date.now() - started} ms`);
  })();
  build.catch(() => (build = undefined)); // a failed build is retried by the next stack
  return build;
}

/**
 * Builds the web app into `outDir` (emptied first) with `env` at build time, e.g. a baked network
 * (VITE_CHAINPASS_NETWORK): for StackOptions.appOutDir. Every call builds.
 */
export async function buildFrontendInto(outDir: string, env: Record<string, string>): Promise<void> {
  await viteBuild(["--outDir", outDir, "--emptyOutDir"], env);
  if (!existsSync(join(outDir, "index.html"))) throw new Error(`vite build wrote no ${outDir}/index.html`);
}

async function startApp(port: number, serverUrl: string, gateUrl: string, rpcUrl: string, outDir?: string, bundlerUrl?: string): Promise<Supervised> {
  const served = outDir ? ["--outDir", outDir] : [];
  const app = supervise("vite preview", process.execPath, [VITE, "preview", "--config", FRONTEND_CONFIG, "--port", String(port), "--strictPort", "--host", "127.0.0.1", ...served], {
    cwd: ROOT,
    env: { CHAINPASS_SERVER_URL: serverUrl, CHAINPASS_GATE_URL: gateUrl, CHAINPASS_RPC_URL: rpcUrl, ...(bundlerUrl ? { CHAINPASS_BUNDLER_URL: bundlerUrl } : {}) },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const root = await waitForUrl(url, app);
    // Whoever answers must be vite serving the app, not another server that took the port.
    const html = await root.text();
    if (!app.running || !/<div id="root">/.test(html)) throw new Error(`${url} is not the app (another server on port ${port}?): ${html.slice(0, 120)}\n${app.output()}`);
    // The proxy to the server must work too, or every page fails in confusing ways.
    const health = await fetch(`${url}/health`);
    if (!health.ok) throw new Error(`${url}/health answered ${health.status}: does ${FRONTEND_CONFIG} proxy /health to CHAINPASS_SERVER_URL in preview?`);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return app;
}

async function writerReport(database: string, event: Address, clients: LocalClients, server: ServerProcess): Promise<string> {
  const lines: string[] = [];
  try {
    const db = new DatabaseSync(database, { readOnly: true });
    try {
      const batches = db.prepare("SELECT id, token_ids, state, nonce, tx_hash, attempts, last_error, created_at, settled_at FROM gate_batches WHERE lower(event) = lower(?) ORDER BY id").all(event);
      const waiting = db.prepare("SELECT token_id, admitted_at FROM gate_admissions WHERE batch_id IS NULL AND lower(event) = lower(?)").all(event);
      lines.push(`writer batches: ${JSON.stringify(batches)}`, `admissions in no batch: ${JSON.stringify(waiting)}`);
    } finally {
      db.close();
    }
  } catch (error) {
    lines.push(`server database unreadable: ${(error as Error).message}`);
  }
  const block = await clients.publicClient.getBlockNumber().catch((error: Error) => error.message.split("\n")[0]);
  lines.push(`node at block ${block}, at ${new Date().toISOString()}`, `server output (last lines):\n${server.supervised.output().split("\n").slice(-40).join("\n")}`);
  return lines.join("\n");
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const withApp = opts.app ?? true;
  const building = withApp && !opts.appOutDir ? buildFrontend() : Promise.resolve();
  building.catch(() => undefined); // awaited below; don't let an early failure go unhandled

  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    forget();
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  const forget = onShutdown(stopAll); // Ctrl-C during a test stops this stack too
  let appStarting: Promise<Supervised | undefined> | undefined;
  try {
    // A fresh in-process node: the first deployments land on lib/networks.ts's addresses.
    const { rpc, rpcUrl } = await startLocalNode();
    cleanup.push(() => rpc.close());
    const clients = localClients(rpcUrl);
    const platform = await deployPlatform(clients);
    if (!isAddressEqual(platform.factory, LOCALHOST.factory) || Number(platform.factoryBlock) !== LOCALHOST.factoryStartBlock) {
      throw new Error(`TicketFactory at ${platform.factory} (block ${platform.factoryBlock}), but lib/networks.ts says ${LOCALHOST.factory} (block ${LOCALHOST.factoryStartBlock})`);
    }
    if (JSON.stringify(platform.priceFeeds) !== JSON.stringify(LOCALHOST.priceFeeds)) {
      throw new Error(`price feeds at ${JSON.stringify(platform.priceFeeds)}, but lib/networks.ts says ${JSON.stringify(LOCALHOST.priceFeeds)}`);
    }
    const passkeys = opts.passkeys ? await startLocalPasskeys(clients, platform, { rpcUrl, sponsor: localAccount(DEMO_ACCOUNTS.sponsor).address }) : undefined;
    if (passkeys) cleanup.push(() => passkeys.bundler.stop());

    // Held until `vite preview` starts: the server binds port 0 meanwhile and could be given it.
    const { port: appPort, release: releaseAppPort } = await reservePort();
    cleanup.push(releaseAppPort);
    const siwe = { domain: `127.0.0.1:${appPort}`, origin: `http://127.0.0.1:${appPort}` };
    const dir = tempFolder("chainpass-e2e-");
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const writerKey = toHex(localAccount(DEMO_ACCOUNTS.gateWriter).getHdKey().privateKey!);
    const rpcLink = opts.rpcLink ? await startRpcLink(rpcUrl) : undefined;
    if (rpcLink) cleanup.push(() => rpcLink.close());
    const server = await spawnServer(
      serverEnv(rpcLink?.url ?? rpcUrl, platform, join(dir, "server.db"), {
        CHAINPASS_SIWE_DOMAIN: siwe.domain,
        CHAINPASS_SIWE_ORIGIN: siwe.origin,
        CHAINPASS_GATE_KEY: writerKey,
        CHAINPASS_POINTS_KEY: toHex(localAccount(DEMO_ACCOUNTS.pointsSigner).getHdKey().privateKey!),
        CHAINPASS_POINTS_INTERVAL_MS: "1000",
        CHAINPASS_INDEX_POLL_MS: "200",
        CHAINPASS_GATE_BATCH_INTERVAL_MS: "500",
        CHAINPASS_SNAPSHOT_INTERVAL_MS: "500",
        ...(passkeys ? { CHAINPASS_SPONSOR_KEY: toHex(localAccount(DEMO_ACCOUNTS.sponsor).getHdKey().privateKey!), CHAINPASS_PAYMASTER: passkeys.stack.paymaster } : {}),
        ...opts.serverEnv,
      }),
    );
    cleanup.push(() => server.stop());

    // The app (vite preview: the built files and a proxy to the server) starts while the demo is
    // seeded: it reads nothing from the chain, and nothing asks it anything before this returns.
    appStarting = withApp
      ? (async () => {
          await building;
          await releaseAppPort();
          const started = await startApp(appPort, server.url, server.gateUrl, rpcUrl, opts.appOutDir ?? OWN_DIST, passkeys?.bundler.url);
          cleanup.push(() => started.stop());
          return started;
        })()
      : Promise.resolve(undefined);
    appStarting.catch(() => undefined); // awaited below; don't let a failure during the seed go unhandled

    const demo = opts.seed ? await seedDemo({ clients, platform, serverUrl: server.url, siwe }) : undefined;
    // The demo is in the index before a page asks for it: a page that read a list while the index
    // was behind need not read it again (lists are not polled); rehearsal I's fan test waited 30 s
    // for its third demo event.
    if (demo) await waitForIndex(server.url, clients, 60_000);
    const app = await appStarting;

    let stopped: Promise<void> | undefined;
    return {
      appUrl: app ? `http://127.0.0.1:${appPort}` : "",
      rpcUrl,
      serverUrl: server.url,
      siwe,
      clients,
      platform,
      demo,
      server,
      rpcLink,
      bundlerUrl: passkeys?.bundler.url,
      waitForIndex: (timeoutMs = 20_000) => waitForIndex(server.url, clients, timeoutMs),
      appLog: () => app?.output() ?? "",
      writerReport: (event) => writerReport(join(dir, "server.db"), event, clients, server),
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await appStarting?.catch(() => undefined); // a starting app is stopped with the rest
    await stopAll();
    throw error;
  }
}
