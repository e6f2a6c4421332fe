// `npm run dev`: the whole product on one machine. A local chain (Hardhat's node, in this
// process), Chainpass deployed and seeded with demo events, the server (auth, metadata, index,
// gate, offers) and the web app (Vite), all behind one URL. Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";

import { isAddressEqual, toHex } from "viem";

import { LOCALHOST } from "../lib/networks.js";
import { deployPlatform, localAccount, localClients, startLocalNode, waitForIndex } from "./lib/local-chain.js";
import { DEMO_ACCOUNTS, seedDemo } from "./seed-demo.js";

const RPC_PORT = Number(process.env.CHAINPASS_RPC_PORT ?? 8545);
const SERVER_PORT = Number(process.env.CHAINPASS_PORT ?? 8787);
const APP_PORT = Number(process.env.CHAINPASS_APP_PORT ?? 5173);
const APP_URL = `http://localhost:${APP_PORT}`;
const say = (message: string) => console.log(`[dev] ${message}`);

const children: ChildProcess[] = [];
function start(name: string, command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `[${name}] ${line}`)
      .join("\n");
  child.stdout!.on("data", (chunk: Buffer) => process.env.CHAINPASS_DEV_VERBOSE && console.log(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => console.error(prefix(chunk)));
  child.on("exit", (code) => {
    if (!stopping) {
      say(`${name} exited with code ${code}; stopping`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, what: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start at ${url}`);
}

let stopping = false;
async function stop(code = 0): Promise<never> {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  await rpc.close().catch(() => undefined);
  process.exit(code);
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());

// ---------------------------------------------------------------- chain and contracts
const { rpc, rpcUrl } = await startLocalNode(RPC_PORT);
const clients = localClients(rpcUrl);
const platform = await deployPlatform(clients);
if (!isAddressEqual(platform.factory, LOCALHOST.factory) || Number(platform.factoryBlock) !== LOCALHOST.factoryStartBlock) {
  throw new Error(`TicketFactory deployed at ${platform.factory} (block ${platform.factoryBlock}); lib/networks.ts says ${LOCALHOST.factory} (block ${LOCALHOST.factoryStartBlock})`);
}
say(`chain on ${rpcUrl}, TicketFactory ${platform.factory}`);

// ---------------------------------------------------------------- server
// CHAINPASS_DEV_DB: another database file (the test of this script uses a temporary one).
const databasePath = process.env.CHAINPASS_DEV_DB ?? ".chainpass/dev.db";
mkdirSync(dirname(databasePath), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true }); // a fresh chain, a fresh database
const siwe = { domain: `localhost:${APP_PORT}`, origin: APP_URL };
const writerKey = toHex(localAccount(DEMO_ACCOUNTS.gateWriter).getHdKey().privateKey!);
start("server", process.execPath, ["--no-warnings=ExperimentalWarning", "--import", "tsx", "server/main.ts"], {
  CHAINPASS_RPC_URL: rpcUrl,
  CHAINPASS_CHAIN_ID: "31337",
  CHAINPASS_FACTORY: platform.factory,
  CHAINPASS_FACTORY_START_BLOCK: platform.factoryBlock.toString(),
  CHAINPASS_PORT: String(SERVER_PORT),
  CHAINPASS_DB: databasePath,
  CHAINPASS_SIWE_DOMAIN: siwe.domain,
  CHAINPASS_SIWE_ORIGIN: siwe.origin,
  CHAINPASS_GATE_KEY: writerKey,
  CHAINPASS_LOG: "false",
});
const serverUrl = `http://127.0.0.1:${SERVER_PORT}`;
await waitFor(`${serverUrl}/health`, "the server");

// ---------------------------------------------------------------- demo content
const demo = await seedDemo({ clients, platform, serverUrl, siwe });
await waitForIndex(serverUrl, clients, 60_000); // the URL is printed once the demo is visible
say(`demo events: concert ${demo.concert}, museum ${demo.museum}, conference ${demo.conference} (codes ${demo.vouchers.join(", ")})`);

// ---------------------------------------------------------------- web app
if (existsSync("frontend/vite.config.ts")) {
  start("web", process.execPath, ["node_modules/vite/bin/vite.js", "--config", "frontend/vite.config.ts", "--port", String(APP_PORT), "--strictPort"], {
    CHAINPASS_SERVER_URL: serverUrl,
    CHAINPASS_RPC_URL: rpcUrl,
  });
  await waitFor(APP_URL, "the web app");
  console.log(`\n  Chainpass is running: ${APP_URL}\n  (local chain ${rpcUrl}, server ${serverUrl}; Ctrl-C stops everything)\n`);
} else {
  console.log(`\n  Chainpass server is running: ${serverUrl} (no frontend/ yet; Ctrl-C stops everything)\n`);
}
