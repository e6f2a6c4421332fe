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
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { isAddressEqual, toHex } from "viem";

import { LOCALHOST } from "../../../lib/networks.js";
import { deployPlatform, localAccount, localClients, startLocalNode, waitForIndex, type LocalClients, type Platform } from "../../../scripts/lib/local-chain.js";
import { DEMO_ACCOUNTS, seedDemo, type DemoEvents } from "../../../scripts/seed-demo.js";
import { serverEnv, spawnServer, type ServerProcess } from "../../helpers/server.js";

export { DEMO_ACCOUNTS, localAccount };

const ROOT = resolve(import.meta.dirname, "../../..");
const VITE = join(ROOT, "node_modules/vite/bin/vite.js");
export const FRONTEND_CONFIG = "frontend/vite.config.ts";
export const FRONTEND_DIST = join(ROOT, "frontend/dist");

export interface StackOptions {
  /** Seed the demo events (scripts/seed-demo.ts). Default false. */
  seed?: boolean;
  /** Build and serve the web app. Default true; false gives chain and server only. */
  app?: boolean;
  /** More environment for the server (e.g. CHAINPASS_MAX_FRAME_AGE). */
  serverEnv?: Record<string, string>;
  /**
   * Put a switchable TCP proxy between the server and the node, so that a test can take the
   * server's chain connection down and bring it back (`stack.rpcLink`). Only the server goes
   * through it; the app's /rpc, the test wallet and `clients` talk to the node directly. Default false.
   */
  rpcLink?: boolean;
}

/** The server's connection to the node, when the stack was started with `rpcLink: true`. */
export interface RpcLink {
  /** Drops every open connection and refuses new ones: the server finds the RPC unreachable. */
  down(): void;
  /** Lets connections through again. */
  up(): void;
  readonly isDown: boolean;
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
  /** With `rpcLink: true`: takes the server's connection to the node down and up. */
  rpcLink?: RpcLink;
  /** Waits until the server's index has processed the chain's latest block. */
  waitForIndex(timeoutMs?: number): Promise<void>;
  /** The last lines the app server (vite preview) printed, for failure messages. */
  appLog(): string;
  /** Stops the app, the server and the node; removes the temporary database. Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------- child processes

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of running) child.kill("SIGKILL");
  };
  process.on("exit", killAll);
  // An interrupted run (Ctrl-C, a CI timeout) ends here. Re-raising the signal would not do: once
  // a browser is up, playwright-core listens to SIGTERM (to close it) and the process lives on.
  // Playwright kills its browsers in its own exit handler.
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
  }
}

/** Registers a child so that it dies with this process. */
function track(child: ChildProcess) {
  installExitHook();
  running.add(child);
  child.once("exit", () => running.delete(child));
}

async function terminate(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForUrl(url: string, what: string, child: ChildProcess, log: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (code ${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

let build: Promise<void> | undefined;

/**
 * Builds the web app (`vite build`) at most once per test process, and not at all when
 * frontend/dist is already newer than its sources. CHAINPASS_E2E_REBUILD=1 forces a build.
 */
export function buildFrontend(): Promise<void> {
  build ??= new Promise<void>((resolveBuild, reject) => {
    if (!existsSync(join(ROOT, FRONTEND_CONFIG))) return reject(new Error(`${FRONTEND_CONFIG} does not exist: there is no web app to test`));
    if (!process.env.CHAINPASS_E2E_REBUILD && frontendIsBuilt()) return resolveBuild();
    const started = Date.now();
    // spawnSync would block the event loop (and the in-process node) for the whole build.
    // NODE_ENV: hardhat-mocha sets it to "test", and Vite would then bundle React's development build.
    const child = spawn(process.execPath, [VITE, "build", "--config", FRONTEND_CONFIG, "--logLevel", "warn"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`vite build failed (code ${code}):\n${output}`));
      if (!existsSync(join(FRONTEND_DIST, "index.html"))) return reject(new Error(`vite build wrote no ${FRONTEND_DIST}/index.html`));
      if (process.env.CHAINPASS_E2E_VERBOSE) console.log(`    [e2e] web app built in ${Date.now() - started} ms`);
      resolveBuild();
    });
  });
  build.catch(() => (build = undefined)); // a failed build is retried by the next stack
  return build;
}

interface AppServer {
  url: string;
  child: ChildProcess;
  log(): string;
}

async function startApp(port: number, serverUrl: string, rpcUrl: string): Promise<AppServer> {
  const child = spawn(process.execPath, [VITE, "preview", "--config", FRONTEND_CONFIG, "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, CHAINPASS_SERVER_URL: serverUrl, CHAINPASS_RPC_URL: rpcUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const log = () => lines.join("\n");
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForUrl(url, "vite preview", child, log);
    // The proxy to the server must work too, or every page fails in confusing ways.
    const health = await fetch(`${url}/health`);
    if (!health.ok) throw new Error(`${url}/health answered ${health.status}: does ${FRONTEND_CONFIG} proxy /health to CHAINPASS_SERVER_URL in preview?`);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  return { url, child, log };
}

// ---------------------------------------------------------------- the server's link to the node

/** A TCP proxy to `target` (http://host:port) that can be switched off (StackOptions.rpcLink). */
async function startRpcLink(target: string): Promise<RpcLink & { url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let isDown = false;
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const proxy = createServer((client) => {
    if (isDown) return void client.destroy();
    const upstream = connect(Number(port), hostname);
    keep(client);
    keep(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolveListen, reject) => proxy.once("error", reject).listen(0, "127.0.0.1", () => resolveListen()));
  const { port: linkPort } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${linkPort}`,
    get isDown() {
      return isDown;
    },
    down() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    up() {
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolveClose());
      }),
  };
}

// ---------------------------------------------------------------- the stack

/** Starts node, contracts, server, (demo content) and web app. See the file comment. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const withApp = opts.app ?? true;
  const building = withApp ? buildFrontend() : Promise.resolve();
  building.catch(() => undefined); // awaited below; don't let an early failure go unhandled

  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    // A fresh in-process node: the first deployments land on lib/networks.ts's addresses.
    const { rpc, rpcUrl } = await startLocalNode();
    cleanup.push(() => rpc.close());
    const clients = localClients(rpcUrl);
    const platform = await deployPlatform(clients);
    if (!isAddressEqual(platform.factory, LOCALHOST.factory) || Number(platform.factoryBlock) !== LOCALHOST.factoryStartBlock) {
      throw new Error(`TicketFactory at ${platform.factory} (block ${platform.factoryBlock}), but lib/networks.ts says ${LOCALHOST.factory} (block ${LOCALHOST.factoryStartBlock})`);
    }

    const appPort = await freePort();
    const siwe = { domain: `127.0.0.1:${appPort}`, origin: `http://127.0.0.1:${appPort}` };
    const dir = mkdtempSync(join(tmpdir(), "chainpass-e2e-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const writerKey = toHex(localAccount(DEMO_ACCOUNTS.gateWriter).getHdKey().privateKey!);
    const rpcLink = opts.rpcLink ? await startRpcLink(rpcUrl) : undefined;
    if (rpcLink) cleanup.push(() => rpcLink.close());
    const server = await spawnServer(
      serverEnv(rpcLink?.url ?? rpcUrl, platform, join(dir, "server.db"), {
        CHAINPASS_SIWE_DOMAIN: siwe.domain,
        CHAINPASS_SIWE_ORIGIN: siwe.origin,
        CHAINPASS_GATE_KEY: writerKey,
        CHAINPASS_INDEX_POLL_MS: "200",
        CHAINPASS_GATE_BATCH_INTERVAL_MS: "500",
        CHAINPASS_SNAPSHOT_INTERVAL_MS: "500",
        ...opts.serverEnv,
      }),
    );
    track(server.process);
    cleanup.push(() => server.stop());

    const demo = opts.seed ? await seedDemo({ clients, platform, serverUrl: server.url, siwe }) : undefined;

    let app: AppServer | undefined;
    if (withApp) {
      await building;
      app = await startApp(appPort, server.url, rpcUrl);
      cleanup.push(() => terminate(app!.child));
    }

    let stopped: Promise<void> | undefined;
    return {
      appUrl: app?.url ?? "",
      rpcUrl,
      serverUrl: server.url,
      siwe,
      clients,
      platform,
      demo,
      server,
      rpcLink,
      waitForIndex: (timeoutMs = 20_000) => waitForIndex(server.url, clients, timeoutMs),
      appLog: () => app?.log() ?? "",
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
