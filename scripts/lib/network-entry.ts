// One source of addresses: a chain's entry for the app and the server (lib/networks.deployed.ts)
// and for the subgraph (subgraph/networks/<name>.json, graph-cli's convention) are generated from
// the Ignition deployment of the platform (ignition/deployments/<id>/: deployed_addresses.json and
// journal.jsonl), never copied by hand. What a deployment does not record (the index URL, an RPC
// for the app, a stand-in currency's symbol) is given once and kept beside the entry, so the files
// can be regenerated and compared: `staleNetworkFiles` is what the test and `--check` use.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { getAddress, isAddressEqual, zeroAddress, type Address } from "viem";

import type { ChainpassNetwork, DeployedNetworkSource } from "../../lib/networks.js";
import { KNOWN_CHAINS } from "./known-chains.js";

export const DEPLOYED_MODULE = "lib/networks.deployed.ts";
const FACTORY_FUTURE = "ChainpassPlatform#TicketFactory";
const MEMBERSHIP_FUTURE = "ChainpassPlatform#ChainpassMembership";

/** What the generator takes from an Ignition deployment. */
export interface IgnitionDeployment {
  chainId: number;
  factory: Address;
  /** The block of the factory's deployment: nothing of Chainpass happened before it. */
  startBlock: number;
  membership: Address;
  /** The factory's allowed currencies as deployed (the zero address is ETH). */
  currencies: Address[];
}

/** Given once per network (`npm run network:entry -- ...`), kept in the generated module. */
export type EntrySource = DeployedNetworkSource;

export interface GeneratedEntry {
  network: ChainpassNetwork;
  subgraph: {
    network: string;
    chainId: number;
    TicketFactory: { address: Address; startBlock: number };
    ChainpassMembership: { address: Address; startBlock: number };
  };
}

export class NetworkEntryError extends Error {}

/** Reads the factory's address, deployment block and constructor currencies from a deployment. */
export function readIgnitionDeployment(dir: string): IgnitionDeployment {
  const addressesFile = path.join(dir, "deployed_addresses.json");
  const journalFile = path.join(dir, "journal.jsonl");
  if (!existsSync(addressesFile) || !existsSync(journalFile)) {
    throw new NetworkEntryError(`${dir} is not an Ignition deployment (no deployed_addresses.json or journal.jsonl)`);
  }
  const addresses = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  const factoryAddress = addresses[FACTORY_FUTURE];
  const membershipAddress = addresses[MEMBERSHIP_FUTURE];
  if (!factoryAddress || !membershipAddress) throw new NetworkEntryError(`${dir} has no ${factoryAddress ? MEMBERSHIP_FUTURE : FACTORY_FUTURE}: was ignition/modules/Platform.ts deployed there?`);
  let chainId: number | undefined;
  let startBlock: number | undefined;
  let currencies: Address[] | undefined;
  for (const line of readFileSync(journalFile, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const message = JSON.parse(line) as { type?: string; chainId?: number; futureId?: string; constructorArgs?: unknown[]; receipt?: { blockNumber: number; contractAddress?: string } };
    if (message.type === "DEPLOYMENT_INITIALIZE") chainId = message.chainId;
    if (message.futureId !== FACTORY_FUTURE) continue;
    if (message.type === "DEPLOYMENT_EXECUTION_STATE_INITIALIZE") currencies = (message.constructorArgs?.[5] as string[]).map((c) => getAddress(c));
    if (message.type === "TRANSACTION_CONFIRM" && message.receipt?.contractAddress && isAddressEqual(message.receipt.contractAddress as Address, factoryAddress as Address)) {
      startBlock = message.receipt.blockNumber;
    }
  }
  if (chainId === undefined || startBlock === undefined || !currencies) throw new NetworkEntryError(`${journalFile} does not record the factory's chain, block and currencies`);
  return { chainId, factory: getAddress(factoryAddress), startBlock, membership: getAddress(membershipAddress), currencies };
}

/** The app's, the server's and the subgraph's entry for one deployed network. */
export function generateEntry(source: EntrySource, root: string): GeneratedEntry {
  const deployment = readIgnitionDeployment(path.resolve(root, source.deployment));
  const known = KNOWN_CHAINS[deployment.chainId];
  if (!known) throw new NetworkEntryError(`chain ${deployment.chainId} is not in scripts/lib/known-chains.ts (explorer, graph network, USDC)`);
  const tokens = deployment.currencies.filter((c) => c !== zeroAddress);
  let stablecoin: ChainpassNetwork["stablecoin"];
  if (tokens.length) {
    const address = tokens[0];
    const meta = isAddressEqual(address, known.usdc) ? { symbol: "USDC", decimals: 6 } : source.stablecoin;
    if (!meta) throw new NetworkEntryError(`currency ${address} is not ${known.label}'s USDC: give its symbol and decimals (--stablecoin-symbol, --stablecoin-decimals)`);
    stablecoin = { address, ...meta };
  }
  // The chain's feeds from Chainlink's documentation; a stand-in currency has none.
  const priceFeeds: ChainpassNetwork["priceFeeds"] = {
    ...(known.priceFeeds?.native ? { native: known.priceFeeds.native } : {}),
    ...(known.priceFeeds?.usdc && stablecoin && isAddressEqual(stablecoin.address, known.usdc) ? { stablecoin: known.priceFeeds.usdc } : {}),
  };
  return {
    network: {
      chainId: deployment.chainId,
      name: known.label,
      rpcUrl: source.rpcUrl ?? known.rpcUrl,
      indexUrl: source.indexUrl,
      factory: deployment.factory,
      factoryStartBlock: deployment.startBlock,
      membership: deployment.membership,
      ...(stablecoin ? { stablecoin } : {}),
      devWallet: false,
      explorer: known.explorer,
      ...(known.ensUniversalResolver ? { ensUniversalResolver: known.ensUniversalResolver } : {}),
      ...(Object.keys(priceFeeds).length ? { priceFeeds } : {}),
    },
    // The membership contract is deployed after the factory: the factory's block is early enough.
    subgraph: {
      network: known.graphNetwork,
      chainId: deployment.chainId,
      TicketFactory: { address: deployment.factory, startBlock: deployment.startBlock },
      ChainpassMembership: { address: deployment.membership, startBlock: deployment.startBlock },
    },
  };
}

/** The files for these sources, by path relative to the root. */
export function renderNetworkFiles(sources: EntrySource[], root: string): Record<string, string> {
  const entries = sources.map((source) => ({ source, entry: generateEntry(source, root) }));
  const files: Record<string, string> = {};
  const networks = Object.fromEntries(entries.map(({ source, entry }) => [source.name, entry.network]));
  files[DEPLOYED_MODULE] = [
    "// Generated by `npm run network:entry` from the Ignition deployments below (scripts/lib/network-entry.ts).",
    "// Do not edit: a test fails when this file does not match them.",
    'import type { ChainpassNetwork, DeployedNetworkSource } from "./networks.js";',
    "",
    `export const DEPLOYED_NETWORK_SOURCES: DeployedNetworkSource[] = ${JSON.stringify(sources, null, 2)};`,
    "",
    `export const DEPLOYED_NETWORKS: Record<string, ChainpassNetwork> = ${JSON.stringify(networks, null, 2)};`,
    "",
  ].join("\n");
  for (const { source, entry } of entries) files[`subgraph/networks/${source.name}.json`] = JSON.stringify(entry.subgraph, null, 2) + "\n";
  return files;
}

export function writeNetworkFiles(sources: EntrySource[], root: string): string[] {
  const files = renderNetworkFiles(sources, root);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text);
  return Object.keys(files);
}

/** The sources recorded in the generated module under `root` (none before the first entry). */
export function recordedSources(root: string): EntrySource[] {
  const file = path.join(root, DEPLOYED_MODULE);
  if (!existsSync(file)) return [];
  const match = /DEPLOYED_NETWORK_SOURCES: DeployedNetworkSource\[\] = ([\s\S]*?);\n\nexport const DEPLOYED_NETWORKS/.exec(readFileSync(file, "utf8"));
  if (!match) throw new NetworkEntryError(`${DEPLOYED_MODULE} was edited by hand: regenerate it`);
  return JSON.parse(match[1]) as EntrySource[];
}

/** Files that differ from what their recorded sources generate now (empty: all current). */
export function staleNetworkFiles(sources: EntrySource[], root: string): string[] {
  const files = renderNetworkFiles(sources, root);
  return Object.entries(files)
    .filter(([file, text]) => !existsSync(path.join(root, file)) || readFileSync(path.join(root, file), "utf8") !== text)
    .map(([file]) => file);
}
