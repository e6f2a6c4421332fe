// A local chain for `npm run dev`, the server and browser tests, and the benchmarks: the node, the
// platform deployed through the Ignition modules, events created over JSON-RPC with viem. Local
// accounts are the standard development mnemonic's (the same accounts Hardhat's node funds).
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEventLogs,
  type Abi,
  type Account,
  type Address,
  type Hex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import LocalDemoModule from "../../ignition/modules/LocalDemo.js";
import { ticketFactoryAbi } from "../../lib/abi/index.js";
import { deployModule, type Eip1193 } from "./ignition-deploy.js";
import { outputLine, supervise } from "./supervisor.js";

export const LOCAL_MNEMONIC = "test test test test test test test test test test test junk";

export function localAccount(index: number) {
  return mnemonicToAccount(LOCAL_MNEMONIC, { addressIndex: index });
}

/** A Hardhat artifact (ABI and bytecode), by its path under artifacts/contracts. */
export function artifact(path: string): { abi: Abi; bytecode: Hex } {
  return JSON.parse(readFileSync(join("artifacts/contracts", path), "utf8"));
}

export function localClients(rpcUrl: string, chainId = 31337) {
  const chain = defineChain({
    id: chainId,
    name: "Localhost",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50, cacheTime: 0 });
  const wallet = (account: Account) => createWalletClient({ account, chain, transport: http(rpcUrl) });
  return { chain, publicClient, wallet };
}

export type LocalClients = ReturnType<typeof localClients>;

export interface Platform {
  factory: Address;
  /** The block of the factory's deployment: where an index of the platform starts. */
  factoryBlock: bigint;
  membership: Address;
  implementation: Address;
  renderer: Address;
  usdc: Address;
  /** The Chainlink-style feeds (MockPriceFeed) of ETH / USD and USDC / USD (deployPlatform's always has them). */
  priceFeeds?: { native: Address; stablecoin: Address };
}

/**
 * Deploys the platform the way an operator does, through Ignition and the LocalDemo module (the
 * Platform module plus MockUSDC allowed beside ETH, and price feeds for both), from the node's
 * first account.
 */
export async function deployPlatform(clients: LocalClients): Promise<Platform> {
  const before = await clients.publicClient.getBlockNumber();
  const provider = { request: clients.publicClient.request as Eip1193["request"] };
  const deployed = await deployModule(provider, LocalDemoModule, {
    ChainpassPlatform: { feeRecipient: localAccount(1).address, feeBps: 250, settlementDelay: 3 * 24 * 3600 },
  });
  // Ignition does not say in which block the factory landed: the first block with its code.
  let factoryBlock = before + 1n;
  while (!(await clients.publicClient.getCode({ address: deployed.TicketFactory, blockNumber: factoryBlock }))) factoryBlock++;
  return {
    factory: deployed.TicketFactory,
    factoryBlock,
    membership: deployed.ChainpassMembership,
    implementation: deployed.EventTicket,
    renderer: deployed.TicketRenderer,
    usdc: deployed.usdc,
    priceFeeds: { native: deployed.ethUsdFeed, stablecoin: deployed.usdcUsdFeed },
  };
}

export interface TierSpec {
  name: string;
  price: bigint;
  supply: number;
  maxPerWallet?: number;
  saleStart: number;
  saleEnd: number;
}

export interface EventSpec {
  name: string;
  symbol: string;
  metadataURI: string;
  start: number;
  end: number;
  currency?: Address;
  payout?: Address;
  royaltyBps?: number;
  resaleCapBps?: number;
  policy?: 0 | 1 | 2;
  giftsPerHolder?: number;
  /** The highest platform fee the organizer accepts (default: the factory's ceiling). */
  maxPlatformFeeBps?: number;
}

/** Creates an event from `organizer` and returns its address. */
export async function createEvent(
  clients: LocalClients,
  factory: Address,
  organizer: Account,
  spec: EventSpec,
  tiers: TierSpec[],
): Promise<Address> {
  const params = {
    name: spec.name,
    symbol: spec.symbol,
    metadataURI: spec.metadataURI,
    start: spec.start,
    end: spec.end,
    currency: spec.currency ?? "0x0000000000000000000000000000000000000000",
    payout: spec.payout ?? organizer.address,
    royaltyBps: spec.royaltyBps ?? 500,
    resaleCapBps: spec.resaleCapBps ?? 11_000,
    policy: spec.policy ?? 0,
    giftsPerHolder: spec.giftsPerHolder ?? 2,
  };
  const hash = await clients.wallet(organizer).writeContract({
    address: factory,
    abi: ticketFactoryAbi,
    functionName: "createEvent",
    args: [params, tiers.map((t) => ({ ...t, price: t.price, maxPerWallet: t.maxPerWallet ?? 0 })), spec.maxPlatformFeeBps ?? 1_000],
    account: organizer,
    chain: clients.chain,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: ticketFactoryAbi, eventName: "EventCreated", logs: receipt.logs });
  return created.args.ticket;
}

/**
 * Hardhat's node in this process, on `port` (0: any free port), with its clock on wall-clock
 * time. Hardhat resolves the default network's genesis date once, when it loads, so a node
 * created minutes later (a long test run) would start minutes in the past; sale windows made
 * from `Date.now()` would then not be open yet.
 */
export async function startLocalNode(port = 0, host = "127.0.0.1") {
  const { network } = await import("hardhat");
  const rpc = await network.createServer("default", host, port);
  const listening = await rpc.listen();
  const rpcUrl = `http://${host}:${listening.port}`;
  const call = async (method: string, params: unknown[] = []) => {
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    return ((await response.json()) as { result: unknown }).result;
  };
  const latest = (await call("eth_getBlockByNumber", ["latest", false])) as { timestamp: Hex };
  const behind = Math.floor(Date.now() / 1000) - Number(latest.timestamp);
  if (behind > 0) await call("evm_increaseTime", [behind]); // later blocks follow the wall clock
  return { rpc, rpcUrl, port: listening.port };
}

/**
 * Waits until the server's local index has processed the chain's latest block (the demo is then
 * visible in the app). Throws after `timeoutMs`.
 */
export async function waitForIndex(serverUrl: string, clients: LocalClients, timeoutMs = 20_000): Promise<void> {
  const head = await clients.publicClient.getBlockNumber();
  const deadline = Date.now() + timeoutMs;
  let indexed = -1;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${serverUrl}/subgraphs/name/chainpass`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ _meta { block { number } } }" }),
      });
      const body = (await response.json()) as { data?: { _meta?: { block?: { number?: number } } } };
      indexed = body.data?._meta?.block?.number ?? -1;
      if (indexed >= Number(head)) return;
    } catch {
      // the server is busy starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the index reached block ${indexed}, not ${head}, within ${timeoutMs} ms`);
}

/**
 * Hardhat's node as a process of its own (`hardhat node`), supervised: for benchmarks, where the
 * chain must not share an event loop with the load generator, and for rehearsals on another
 * chain id. Resolves once it answers JSON-RPC.
 */
export async function startNodeProcess(opts: { port?: number; chainId?: number; logRequests?: boolean } = {}) {
  // The system's choice of port unless one is given, read from what the node says once it listens:
  // a port picked here and bound by the node seconds later could meanwhile become another test
  // lane's node, which would then answer for this one.
  const listening = outputLine(/JSON-RPC server at http:\/\/[^\s]+:(\d+)\//);
  const cli = join(process.cwd(), "node_modules/hardhat/dist/src/cli.js");
  const args = [cli, "node", "--port", String(opts.port ?? 0), "--hostname", "127.0.0.1", ...(opts.chainId ? ["--chain-id", String(opts.chainId)] : [])];
  const node = supervise("hardhat node", process.execPath, args, { onOutput: listening.onOutput });
  const deadline = Date.now() + 60_000;
  const port = Number((await listening.wait(node, 60_000, "listened"))[1]);
  const rpcUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (!node.running) throw new Error(`hardhat node exited:\n${node.output()}`);
    try {
      const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      if (response.ok) break;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`hardhat node did not answer within 60 s:\n${node.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // `hardhat node` prints every request; under a benchmark's load that printing (and reading it)
  // would take CPU from what is measured.
  if (opts.logRequests === false) {
    await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "hardhat_setLoggingEnabled", params: [false] }) });
  }
  return { rpcUrl, port, node, close: () => node.stop() };
}
