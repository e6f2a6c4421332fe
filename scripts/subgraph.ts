// Builds the Chainpass subgraph (subgraph/): copies the ABIs from the Hardhat build, renders
// subgraph.yaml for one network, then runs graph-cli.
//
//   npx tsx scripts/subgraph.ts [codegen|build] [--network localhost]
//
//   codegen  ABIs + subgraph.yaml + `graph codegen` (AssemblyScript types in subgraph/generated/)
//   build    the same, then `graph build` (WebAssembly in subgraph/build/); the default
//
// Generated, never edited, gitignored: subgraph/abis/, subgraph/subgraph.yaml,
// subgraph/generated/, subgraph/build/. Compile the contracts first (`npm run build`).
//
// Network names. A network file is subgraph/networks/<name>.json:
//   { "network": "mainnet", "chainId": 31337,
//     "TicketFactory": { "address": "0x...", "startBlock": 0 },
//     "ChainpassMembership": { "address": "0x...", "startBlock": 0 } }
// with one entry per data source at a fixed address (its `address` and `startBlock` fill the
// template's {{<name>.address}} and {{<name>.startBlock}}), and its "network" becomes every data
// source's `network:`. graph-cli's codegen and build accept
// any string there: they only check that all data sources and templates name the same network
// (validation/manifest.js). The name has to match a chain that the graph-node indexing the
// subgraph is configured with (`ethereum: '<name>:<rpc url>'`), and only The Graph's hosted
// products (Subgraph Studio, the network) restrict it to the networks registry
// (https://github.com/graphprotocol/networks-registry; graph-cli bundles a copy, which the
// check below reads). "localhost" is not in that registry, and graph-cli gives it no special
// meaning in build (only `graph add` uses it, to skip Etherscan look-ups). The docker-compose
// file `graph init` scaffolds for a local graph-node names the local chain "mainnet"
// (`ethereum: 'mainnet:http://host.docker.internal:8545'`), so networks/localhost.json says
// "mainnet": that is what a stock local graph-node in front of `hardhat node` indexes. Use
// another name only together with a graph-node configured for it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const subgraphDir = path.join(root, "subgraph");
const graphCli = path.join(root, "node_modules", "@graphprotocol", "graph-cli", "bin", "run.js");
const registryFile = path.join(root, "node_modules", "@graphprotocol", "graph-cli", "config", "TheGraphNetworksRegistry.json");

/** ABI name in the manifest -> Hardhat artifact it is copied from. */
const ABIS: Record<string, string> = {
  TicketFactory: "artifacts/contracts/TicketFactory.sol/TicketFactory.json",
  ChainpassMembership: "artifacts/contracts/ChainpassMembership.sol/ChainpassMembership.json",
  IChainpassEvent: "artifacts/contracts/interfaces/IChainpassEvent.sol/IChainpassEvent.json",
};

type DataSourceConfig = { address: string; startBlock: number };

/** The data sources at fixed addresses: each needs its entry in the network file. */
const DATA_SOURCES = ["TicketFactory", "ChainpassMembership"] as const;

type NetworkConfig = {
  network: string;
  chainId?: number;
} & Record<(typeof DATA_SOURCES)[number], DataSourceConfig>;

class UsageError extends Error {}

function parseArgs(argv: string[]): { command: "codegen" | "build"; network: string } {
  let command: "codegen" | "build" = "build";
  let network = "localhost";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "codegen" || arg === "build") command = arg;
    else if (arg === "--network" && i + 1 < argv.length) network = argv[++i];
    else if (arg.startsWith("--network=")) network = arg.slice("--network=".length);
    else throw new UsageError(`unknown argument "${arg}"\nusage: npx tsx scripts/subgraph.ts [codegen|build] [--network <name>]`);
  }
  return { command, network };
}

function copyAbis(): void {
  const outDir = path.join(subgraphDir, "abis");
  mkdirSync(outDir, { recursive: true });
  for (const [name, artifact] of Object.entries(ABIS)) {
    const file = path.join(root, artifact);
    if (!existsSync(file)) throw new UsageError(`${artifact} is missing: compile the contracts first (npm run build)`);
    const { abi } = JSON.parse(readFileSync(file, "utf8")) as { abi: unknown };
    if (!Array.isArray(abi)) throw new Error(`${artifact} has no abi array`);
    writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(abi, null, 2) + "\n");
  }
}

function loadNetwork(name: string): NetworkConfig {
  const file = path.join(subgraphDir, "networks", `${name}.json`);
  if (!existsSync(file)) throw new UsageError(`no network file subgraph/networks/${name}.json`);
  const config = JSON.parse(readFileSync(file, "utf8")) as NetworkConfig;
  const where = `subgraph/networks/${name}.json`;
  // graph-node takes the chain name from `<name>:<rpc url>`, so it cannot contain ':'; keep to
  // the registry's style (lowercase letters, digits, dashes).
  if (typeof config.network !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(config.network)) {
    throw new UsageError(`${where}: "network" must be a graph-node chain name such as "mainnet" (got ${JSON.stringify(config.network)})`);
  }
  for (const name of DATA_SOURCES) {
    const source = config[name] as DataSourceConfig | undefined;
    if (!source || typeof source.address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(source.address)) {
      throw new UsageError(`${where}: "${name}.address" must be a 0x-prefixed 20-byte address`);
    }
    if (!Number.isSafeInteger(source.startBlock) || source.startBlock < 0) {
      throw new UsageError(`${where}: "${name}.startBlock" must be a block number`);
    }
  }
  const known = registryNetworks();
  if (known && !known.has(config.network)) {
    console.warn(
      `note: "${config.network}" is not in The Graph's networks registry: only a graph-node configured ` +
        `with a chain of that name can index this build`,
    );
  }
  return config;
}

/** Ids and aliases of graph-cli's bundled networks registry, or null when it cannot be read. */
function registryNetworks(): Set<string> | null {
  try {
    const registry = JSON.parse(readFileSync(registryFile, "utf8")) as { networks: { id: string; aliases?: string[] }[] };
    return new Set(registry.networks.flatMap((n) => [n.id, ...(n.aliases ?? [])]));
  } catch {
    return null;
  }
}

/** Replaces each {{a.b}} in the template by that path's value in `values`; unknown paths fail. */
function render(template: string, values: unknown): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, key: string) => {
    let value: unknown = values;
    for (const part of key.split(".")) {
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw new UsageError(`subgraph.template.yaml: {{${key}}} has no value in the network file`);
    }
    return String(value);
  });
}

function writeManifest(config: NetworkConfig, networkName: string): void {
  const template = readFileSync(path.join(subgraphDir, "subgraph.template.yaml"), "utf8");
  const header =
    `# Generated by scripts/subgraph.ts from subgraph.template.yaml and networks/${networkName}.json; do not edit.\n`;
  writeFileSync(path.join(subgraphDir, "subgraph.yaml"), header + render(template, config));
}

function graph(args: string[]): void {
  console.log(`> graph ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [graphCli, ...args], { cwd: subgraphDir, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`graph ${args[0]} failed (exit ${result.status ?? result.signal})`);
  }
}

function main(): void {
  const { command, network } = parseArgs(process.argv.slice(2));
  copyAbis();
  const config = loadNetwork(network);
  writeManifest(config, network);
  const sources = DATA_SOURCES.map((name) => `${name} ${config[name].address} from block ${config[name].startBlock}`);
  console.log(`subgraph.yaml: network ${config.network}, ${sources.join(", ")}`);
  graph(["codegen", "subgraph.yaml", "--output-dir", "generated"]);
  if (command === "build") graph(["build", "subgraph.yaml", "--output-dir", "build"]);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? `subgraph: ${error.message}` : error);
  process.exit(1);
}
