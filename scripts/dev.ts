// `npm run dev`: the whole product on one machine. A local chain (Hardhat's node, in this
// process), Chainpass deployed and seeded with demo events, the server (auth, metadata, index,
// gate, offers) and the web app (Vite), all behind one URL. Ctrl-C stops everything.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";

import { isAddressEqual, toHex } from "viem";

import { LOCALHOST } from "../lib/networks.js";
import { startLocalPasskeys } from "./lib/account-stack.js";
import { deployPlatform, localAccount, localClients, startLocalNode, waitForIndex } from "./lib/local-chain.js";
import { onShutdown, setSignalExitCode, shutdown, supervise, waitForUrl } from "./lib/supervisor.js";
import { DEMO_ACCOUNTS, seedDemo } from "./seed-demo.js";

const RPC_PORT = Number(process.env.CHAINPASS_RPC_PORT ?? 8545);
const SERVER_PORT = Number(process.env.CHAINPASS_PORT ?? 8787);
const GATE_PORT = Number(process.env.CHAINPASS_GATE_PORT ?? SERVER_PORT + 1);
const APP_PORT = Number(process.env.CHAINPASS_APP_PORT ?? 5173);
const BUNDLER_PORT = Number(process.env.CHAINPASS_BUNDLER_PORT ?? 4337);
const APP_URL = `http://localhost:${APP_PORT}`;
const say = (message: string) => console.log(`[dev] ${message}`);

// Children belong to the supervisor: Ctrl-C (SIGINT) or SIGTERM stops them and the node, then
// exits 0; if one of them dies on its own, everything stops with exit code 1.
let stopping = false;
function start(name: string, args: string[], env: Record<string, string>) {
  const child = supervise(name, process.execPath, args, {
    env,
    onOutput: (chunk, stream) => {
      if (stream === "stdout" && !process.env.CHAINPASS_DEV_VERBOSE) return;
      const lines = chunk.split("\n").filter(Boolean).map((line) => `[${name}] ${line}`).join("\n");
      (stream === "stdout" ? console.log : console.error)(lines);
    },
  });
  void child.exited.then(({ code, signal }) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? `code ${code}`}); stopping`);
    stopping = true;
    void shutdown().finally(() => process.exit(1));
  });
  return child;
}

// Ctrl-C is the normal way to end `npm run dev`: exit 0 once everything has stopped.
setSignalExitCode(0);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => (stopping = true));

// ---------------------------------------------------------------- chain and contracts
const { rpc, rpcUrl } = await startLocalNode(RPC_PORT);
onShutdown(() => rpc.close());
const clients = localClients(rpcUrl);
const platform = await deployPlatform(clients);
if (!isAddressEqual(platform.factory, LOCALHOST.factory) || Number(platform.factoryBlock) !== LOCALHOST.factoryStartBlock) {
  throw new Error(`TicketFactory deployed at ${platform.factory} (block ${platform.factoryBlock}); lib/networks.ts says ${LOCALHOST.factory} (block ${LOCALHOST.factoryStartBlock})`);
}
if (!isAddressEqual(platform.membership, LOCALHOST.membership)) {
  throw new Error(`ChainpassMembership deployed at ${platform.membership}; lib/networks.ts says ${LOCALHOST.membership}`);
}
if (JSON.stringify(platform.priceFeeds) !== JSON.stringify(LOCALHOST.priceFeeds)) {
  throw new Error(`price feeds deployed at ${JSON.stringify(platform.priceFeeds)}; lib/networks.ts says ${JSON.stringify(LOCALHOST.priceFeeds)}`);
}
// Passkey accounts: the EntryPoint v0.8, the accounts' contracts, the platform's gas budget and a real bundler (Alto).
const sponsor = localAccount(DEMO_ACCOUNTS.sponsor);
const { stack: accounts, bundler } = await startLocalPasskeys(clients, platform, { rpcUrl, sponsor: sponsor.address, bundlerPort: BUNDLER_PORT });
void bundler.process.exited.then(({ code, signal }) => {
  if (stopping) return;
  say(`bundler exited (${signal ?? `code ${code}`}); stopping`);
  stopping = true;
  void shutdown().finally(() => process.exit(1));
});
say(`chain on ${rpcUrl}, TicketFactory ${platform.factory}, bundler ${bundler.url}`);

// ---------------------------------------------------------------- server
// CHAINPASS_DEV_DB: another database file (the test of this script uses a temporary one).
const databasePath = process.env.CHAINPASS_DEV_DB ?? ".chainpass/dev.db";
mkdirSync(dirname(databasePath), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true }); // a fresh chain, a fresh database
const siwe = { domain: `localhost:${APP_PORT}`, origin: APP_URL };
const writerKey = toHex(localAccount(DEMO_ACCOUNTS.gateWriter).getHdKey().privateKey!);
const server = start("server", ["--no-warnings=ExperimentalWarning", "--import", "tsx", "server/main.ts"], {
  CHAINPASS_RPC_URL: rpcUrl,
  CHAINPASS_CHAIN_ID: "31337",
  CHAINPASS_FACTORY: platform.factory,
  CHAINPASS_FACTORY_START_BLOCK: platform.factoryBlock.toString(),
  CHAINPASS_MEMBERSHIP: platform.membership,
  CHAINPASS_PORT: String(SERVER_PORT),
  CHAINPASS_GATE_PORT: String(GATE_PORT),
  CHAINPASS_DB: databasePath,
  CHAINPASS_SIWE_DOMAIN: siwe.domain,
  CHAINPASS_SIWE_ORIGIN: siwe.origin,
  CHAINPASS_GATE_KEY: writerKey,
  CHAINPASS_POINTS_KEY: toHex(localAccount(DEMO_ACCOUNTS.pointsSigner).getHdKey().privateKey!),
  CHAINPASS_POINTS_INTERVAL_MS: "2000",
  CHAINPASS_SPONSOR_KEY: toHex(sponsor.getHdKey().privateKey!),
  CHAINPASS_PAYMASTER: accounts.paymaster,
  CHAINPASS_LOG: "false",
  // Always the source as it is now, never a bundle `npm test` built (its test of this script runs it so).
  CHAINPASS_SERVER_BUNDLE: "",
});
const serverUrl = `http://127.0.0.1:${SERVER_PORT}`;
const gateUrl = `http://127.0.0.1:${GATE_PORT}`;
await waitForUrl(`${serverUrl}/health`, server);

// ---------------------------------------------------------------- demo content
const demo = await seedDemo({ clients, platform, serverUrl, siwe, seasons: true, community: true });
await waitForIndex(serverUrl, clients, 60_000); // the URL is printed once the demo is visible
say(`demo events: concert ${demo.concert}, museum ${demo.museum}, conference ${demo.conference} (codes ${demo.vouchers.join(", ")}), museum season ${demo.seasons?.museum}, theatre run ${demo.seasons?.theatre}; the concert's sales channels ${demo.channels?.join(", ")}`);

// ---------------------------------------------------------------- web app
if (existsSync("frontend/vite.config.ts")) {
  const web = start("web", ["node_modules/vite/bin/vite.js", "--config", "frontend/vite.config.ts", "--port", String(APP_PORT), "--strictPort"], {
    CHAINPASS_SERVER_URL: serverUrl,
    CHAINPASS_GATE_URL: gateUrl,
    CHAINPASS_RPC_URL: rpcUrl,
    CHAINPASS_BUNDLER_URL: bundler.url,
  });
  await waitForUrl(APP_URL, web);
  console.log(`\n  Chainpass is running: ${APP_URL}\n  (local chain ${rpcUrl}, server ${serverUrl}, gate ${gateUrl}; Ctrl-C stops everything)\n`);
} else {
  console.log(`\n  Chainpass server is running: ${serverUrl} (no frontend/ yet; Ctrl-C stops everything)\n`);
}
