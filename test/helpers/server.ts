// Helpers for server tests: a local chain over JSON-RPC (Hardhat's in-process node), Chainpass
// deployed on it, the app on a temporary SQLite file, SIWE sign-in, and passes made with lib/pass.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { SiweMessage } from "siwe";
import { keccak256, toHex, type Account, type Address } from "viem";

import { chainpassEventAbi, chainpassMembershipAbi } from "../../lib/abi/index.js";
import { tokenIdOf } from "../../lib/calendar.js";
import { delegationDigest, makePass, passKeyFromSecret, signDelegation, type PassDelegation } from "../../lib/pass/index.js";
import { purchaseOptions } from "../../lib/purchase-options.js";
import { buildApp } from "../../server/app.js";
import { bundledEntry } from "../../server/workers/bundle.js";
import { configFromEnv, type ServerConfig } from "../../server/config.js";
import { createEvent, deployPlatform, localAccount, localClients, startLocalNode, type LocalClients, type Platform } from "../../scripts/lib/local-chain.js";
import { outputLine, supervise, tempFolder, waitForUrl, type Supervised } from "../../scripts/lib/supervisor.js";

export const GATE_ROLE = keccak256(toHex("GATE_ROLE"));

export async function startLocalChain() {
  const { rpc, rpcUrl, port } = await startLocalNode();
  return { rpc, rpcUrl, port, clients: localClients(rpcUrl) };
}

/** The token ids in a ledger's JSON of them (`admittedTokenIdsJson`). */
export const tokenIdsOfJson = (json: string) => (JSON.parse(json) as string[]).map(BigInt);

/** A fresh SQLite path in a folder of its own (the WAL, `.index.db` and `.content.db` go beside it), removed at exit. */
export function tempDatabase() {
  return join(tempFolder(), "server.db");
}

/**
 * The server's configuration as `npm run server` reads it from the environment (so every default
 * is the production one), for a test: a temporary database, quick polling, SIWE for gate.test.
 */
export function testConfig(rpcUrl: string, platform: Platform, overrides: Partial<ServerConfig> = {}, env: Record<string, string> = {}): ServerConfig {
  const config = configFromEnv({
    CHAINPASS_RPC_URL: rpcUrl,
    CHAINPASS_CHAIN_ID: "31337",
    CHAINPASS_FACTORY: platform.factory,
    CHAINPASS_FACTORY_START_BLOCK: platform.factoryBlock.toString(),
    CHAINPASS_MEMBERSHIP: platform.membership,
    CHAINPASS_DB: tempDatabase(),
    CHAINPASS_PORT: "0",
    CHAINPASS_BODY_LIMIT: String(16 * 1024),
    CHAINPASS_SIWE_DOMAIN: "gate.test",
    CHAINPASS_SIWE_ORIGIN: "https://gate.test",
    CHAINPASS_SECURE_COOKIES: "true",
    CHAINPASS_INDEX_POLL_MS: "200",
    CHAINPASS_GATE_BATCH_SIZE: "5",
    CHAINPASS_GATE_BATCH_INTERVAL_MS: "200",
    CHAINPASS_SNAPSHOT_INTERVAL_MS: "200",
    // The freshness barrier's limit (500 ms by default): slower, the gate says it is offline and
    // admits from its snapshot, on purpose. On a machine running the test lanes side by side a
    // reachable node can take that long, and a test that means "online" would decide offline; the
    // tests that go offline make the node unreachable (or set their own limit).
    CHAINPASS_FRESHNESS_TIMEOUT_MS: "4000",
    ...env,
  });
  return { ...config, ...overrides };
}

export function siweMessage(
  account: Account,
  nonce: string,
  overrides: Partial<{ domain: string; uri: string; chainId: number; expirationTime: string; notBefore: string }> = {},
) {
  return new SiweMessage({
    domain: "gate.test",
    address: account.address,
    statement: "Sign in to Chainpass",
    uri: "https://gate.test",
    version: "1",
    chainId: 31337,
    nonce,
    issuedAt: new Date().toISOString(),
    ...overrides,
  }).prepareMessage();
}

type AppLike = ReturnType<typeof buildApp>;

/** Signs `account` in and returns its session cookie header. */
export async function signIn(app: AppLike, account: Account): Promise<string> {
  const { nonce } = (await app.server.inject({ method: "GET", url: "/auth/nonce" })).json();
  const message = siweMessage(account, nonce);
  const signature = await account.signMessage!({ message });
  const response = await app.server.inject({ method: "POST", url: "/auth/verify", payload: { message, signature } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const cookie = response.cookies.find((c: { name: string }) => c.name === "chainpass_session") as { name: string; value: string };
  return `${cookie.name}=${cookie.value}`;
}

/**
 * Waits until the gate has read `event` (its status answers 200 to `cookie`, gate staff): until
 * then a gate route answers 503 chain-unreachable, and on a loaded machine the gate's chain thread
 * may take longer to start than one read allows.
 */
export async function gateReady(app: AppLike, event: Address, cookie: string, timeoutMs = 60_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; ; ) {
    const status = await app.server.inject({ method: "GET", url: `/gate/${event}/status`, headers: { cookie } });
    if (status.statusCode === 200) return;
    if (Date.now() > until) throw new Error(`the gate did not read the event in ${timeoutMs} ms: ${status.statusCode} ${status.body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const now = () => Math.floor(Date.now() / 1000);

/** Sends a transaction to an event contract (IChainpassEvent) from `account` and waits for its receipt. */
export function eventWriter(clients: LocalClients, event: Address, defaultAccount: Account) {
  return async (functionName: string, args: unknown[], account: Account = defaultAccount, value?: bigint) => {
    const hash = await clients.wallet(account).writeContract({
      address: event,
      abi: chainpassEventAbi,
      functionName: functionName as never,
      args: args as never,
      account,
      chain: clients.chain,
      value,
    } as never);
    return clients.publicClient.waitForTransactionReceipt({ hash });
  };
}

/** Sends calls to the platform's ChainpassMembership (from `defaultAccount` unless told) and waits for each receipt. */
export function membershipWriter(clients: LocalClients, membership: Address, defaultAccount: Account) {
  return async (functionName: string, args: unknown[], account: Account = defaultAccount) => {
    const hash = await clients.wallet(account).writeContract({ address: membership, abi: chainpassMembershipAbi, functionName, args, account, chain: clients.chain } as never);
    return clients.publicClient.waitForTransactionReceipt({ hash });
  };
}

/** Reads a view of the platform's ChainpassMembership. */
export function membershipReader(clients: LocalClients, membership: Address) {
  return <T>(functionName: string, args: unknown[]) =>
    clients.publicClient.readContract({ address: membership, abi: chainpassMembershipAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
}

/** A venue: an event with a standing tier, a seated tier and a timed tier, tickets sold to fans. */
export async function venueFixture(clients: LocalClients) {
  const organizer = localAccount(2);
  const staff = localAccount(3);
  const writer = localAccount(4);
  const fans = [localAccount(5), localAccount(6), localAccount(7)];
  const platform = await deployPlatform(clients);
  const t = now();
  const event = await createEvent(
    clients,
    platform.factory,
    organizer,
    { name: "Harbour Lights", symbol: "HL", metadataURI: "ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", start: t + 3600, end: t + 8 * 3600 },
    [
      { name: "Standing", price: 10n ** 16n, supply: 1000, saleStart: t - 60, saleEnd: t + 3600 },
      { name: "Stalls", price: 2n * 10n ** 16n, supply: 1, saleStart: t - 60, saleEnd: t + 3600 },
      { name: "Early slot", price: 10n ** 16n, supply: 100, saleStart: t - 60, saleEnd: t + 3600 },
    ],
  );
  const write = eventWriter(clients, event, organizer);
  await write("grantRole", [GATE_ROLE, staff.address]);
  await write("grantRole", [GATE_ROLE, writer.address]);
  const section = `0x${Buffer.from("Stalls").toString("hex").padEnd(32, "0")}` as const;
  await write("setSeatMap", [2n, [{ section, firstRow: 1, rows: 2, firstSeat: 1, seatsPerRow: 10, letteredRows: true }]]);
  await write("setTierOptions", [3n, { earlyPrice: 0n, earlyUntil: 0, entryStart: t + 7200, entryEnd: t + 9000, presaleStart: 0, presaleRoot: `0x${"00".repeat(32)}` }]);
  for (const fan of fans) await write("buy", [1n, 10n, fan.address, 10n * 10n ** 16n], fan, 10n * 10n ** 16n);
  await write("buyWith", [2n, 1n, fans[0].address, purchaseOptions({ seats: [13n], maxTotal: 2n * 10n ** 16n })], fans[0], 2n * 10n ** 16n);
  await write("buy", [3n, 1n, fans[0].address, 10n ** 16n], fans[0], 10n ** 16n);
  return { platform, event, organizer, staff, writer, fans, write };
}

/** A fan's pass key and all-tickets delegation for `event`, and a function making QR texts. */
export async function fanPasses(fan: Account, event: Address, seed: number) {
  const passKey = passKeyFromSecret(`0x${seed.toString(16).padStart(2, "0").repeat(32)}`);
  const delegation: PassDelegation = { chainId: 31337n, ticket: event, tokenId: 0n, passKey: passKey.publicKey, validUntil: now() + 86_400 };
  const walletSignature = await signDelegation(fan as Parameters<typeof signDelegation>[0], delegation);
  return {
    passKey,
    delegation,
    digest: delegationDigest(delegation),
    pass: (tokenId: bigint, at = now()) => makePass({ passKey, delegation, holder: fan.address, walletSignature, tokenId, now: at }),
  };
}

/** A ticket's id from its tier and serial (lib/calendar.ts owns the layout). */
export const tokenId = (tier: number, serial: number) => tokenIdOf(tier, serial);

// ---------------------------------------------------------------- the server as a real process

export interface ServerProcess {
  /** The public API (CHAINPASS_PORT): every route. */
  url: string;
  /** The gate's own listener (CHAINPASS_GATE_PORT): every route, the gate's answered on the main thread. */
  gateUrl: string;
  process: Supervised["child"];
  /** The supervised child: its output and state. */
  supervised: Supervised;
  /** SIGKILL: no cleanup, as a crash or a pulled plug. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** server/main.ts, or its bundled build under `npm test` (CHAINPASS_SERVER_BUNDLE: scripts/lib/server-bundle.ts). */
const SERVER_MAIN = new URL("../../server/main.ts", import.meta.url);
function serverCommand(): string[] {
  const bundled = bundledEntry(SERVER_MAIN);
  return bundled ? ["--no-warnings", fileURLToPath(bundled)] : ["--no-warnings", "--import", "tsx", "server/main.ts"];
}

/** What server/main.ts says once both its listeners are up. */
const LISTENING = /chainpass server: API \S+:(\d+), gate \S+:(\d+)/;

/**
 * Runs `server/main.ts` in its own Node process (as `npm run server` does; `args`, Node's
 * arguments, may name another entry) and waits for it.
 * The child is supervised (scripts/lib/supervisor.ts): it dies with this process.
 *
 * Ports not given in `env` are the system's choice (0), read from the line the server says once it
 * listens. A port picked here and bound by the child later could be taken meanwhile by a server of
 * a parallel test lane, whose /health would then answer for this one (that happened: a scan sent to
 * such a server was refused as not signed in).
 */
export async function spawnServer(env: Record<string, string>, args: string[] = serverCommand()): Promise<ServerProcess> {
  const listening = outputLine(LISTENING);
  const supervised = supervise("server", process.execPath, args, {
    env: {
      CHAINPASS_PORT: "0",
      CHAINPASS_GATE_PORT: "0",
      CHAINPASS_LOG: "false",
      CHAINPASS_SIWE_DOMAIN: "gate.test",
      CHAINPASS_SIWE_ORIGIN: "https://gate.test",
      ...env,
    },
    onOutput: listening.onOutput,
  });
  try {
    const [, port, gatePort] = await listening.wait(supervised, 30_000, "listened");
    const url = `http://127.0.0.1:${port}`;
    const gateUrl = `http://127.0.0.1:${gatePort}`;
    await waitForUrl(`${gateUrl}/health`, supervised, 30_000);
    await waitForUrl(`${url}/health`, supervised, 30_000);
    return {
      url,
      gateUrl,
      process: supervised.child,
      supervised,
      kill: async () => {
        supervised.child.kill("SIGKILL");
        await supervised.exited;
      },
      stop: () => supervised.stop(),
    };
  } catch (error) {
    await supervised.stop(1000);
    throw error;
  }
}

/** SIWE sign-in over HTTP; returns the cookie header. */
export async function signInOverHttp(url: string, account: Account, overrides: Parameters<typeof siweMessage>[2] = {}): Promise<string> {
  const { nonce } = await (await fetch(`${url}/auth/nonce`)).json();
  const message = siweMessage(account, nonce, overrides);
  const signature = await account.signMessage!({ message });
  const response = await fetch(`${url}/auth/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, signature }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${await response.text()}`);
  return response.headers.get("set-cookie")!.split(";")[0];
}

export async function scanOverHttp(url: string, cookie: string, event: Address, pass: string) {
  const response = await fetch(`${url}/gate/${event}/scan`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ pass }),
  });
  return { status: response.status, body: await response.json() };
}

export function serverEnv(rpcUrl: string, platform: Platform, databasePath: string, extra: Record<string, string> = {}) {
  return {
    CHAINPASS_RPC_URL: rpcUrl,
    CHAINPASS_CHAIN_ID: "31337",
    CHAINPASS_FACTORY: platform.factory,
    CHAINPASS_FACTORY_START_BLOCK: platform.factoryBlock.toString(),
    CHAINPASS_MEMBERSHIP: platform.membership,
    CHAINPASS_DB: databasePath,
    ...extra,
  };
}

/** Everything `work` prints (console and the process's stdout and stderr), captured instead of printed. */
export async function captureOutput(work: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace"] as const;
  const consoleBefore = methods.map((m) => console[m]);
  const writes = [process.stdout.write, process.stderr.write];
  for (const m of methods) console[m] = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  const capture = (chunk: unknown) => (printed.push(String(chunk)), true);
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    await work();
  } finally {
    methods.forEach((m, i) => (console[m] = consoleBefore[i]));
    [process.stdout.write, process.stderr.write] = writes;
  }
  return printed;
}
