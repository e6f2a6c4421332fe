// Builds the web app: `npm run build:web [-- <vite build options>]`.
//
//   npm run build:web                              frontend/dist, served by `vite preview` or one
//                                                  host that also proxies the API (as today)
//   npm run build:web -- --network <name> --server-url <url> [--rpc-url <url>] [--index-url <url>]
//                       [--ipfs-gateway <url>] [--out-dir <dir>]
//                                                  a static site for one network: localhost, or
//                                                  a name `npm run network:entry` generated
//   npm run build:web -- --network-file <entry.json> --server-url <url> ...
//                                                  the same for a network entry in a file (a
//                                                  rehearsal's, or one not committed yet)
//
// The static site (dist/web/<name>/ by default) works from any static host, under any sub-path,
// and from an IPFS gateway path: asset URLs are relative (Vite `base: "./"`), routes live in the
// URL's hash (index.html#/events/0x..; app/routes.tsx), and the network's entry (with absolute
// RPC and index URLs), the server and the IPFS gateway are baked into the build (VITE_CHAINPASS_*). The
// network's rpcUrl and indexUrl come from lib/networks.ts unless a flag overrides them; a
// relative one there is a path on the dev proxy, so it needs its flag (--rpc-url), except a
// relative indexUrl, which is the server's own local index (resolved against --server-url). The
// server must let the site's origin read it: CHAINPASS_APP_ORIGINS (.env.example).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { isAddress } from "viem";

import { NETWORKS_BY_NAME, type ChainpassNetwork } from "../lib/networks.js";

const ROOT = resolve(import.meta.dirname, "..");
const VITE = join(ROOT, "node_modules/vite/bin/vite.js");
const CONFIG = "frontend/vite.config.ts";

const USAGE = `usage: npm run build:web -- --network <name> --server-url <url> [--rpc-url <url>] [--index-url <url>] [--ipfs-gateway <url>] [--out-dir <dir>]
       npm run build:web -- --network-file <entry.json> --server-url <url> [same options]
       npm run build:web [-- <vite build options>]     (the usual build, into frontend/dist)`;

class UsageError extends Error {}

const FLAGS = ["network", "network-file", "server-url", "rpc-url", "index-url", "ipfs-gateway", "out-dir"] as const;
type Flag = (typeof FLAGS)[number];

function parseFlags(argv: string[]): Partial<Record<Flag, string>> {
  const flags: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const name = match?.[1] as Flag | undefined;
    if (!match || !FLAGS.includes(name!)) throw new UsageError(`unknown argument "${argv[i]}" for a static build\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || value.startsWith("--")) throw new UsageError(`--${name} needs a value\n${USAGE}`);
    if (flags[name!] !== undefined) throw new UsageError(`--${name} is given twice`);
    flags[name!] = value;
  }
  return flags;
}

/** An absolute http(s) URL, or a UsageError that names where the value came from. */
function httpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} "${value}" is not an absolute URL (http:// or https://)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`${what} "${value}" is not an http(s) URL`);
  return url;
}

export interface StaticBuild {
  network: ChainpassNetwork;
  key: string;
  outDir: string;
  /** The VITE_CHAINPASS_* values baked into the build. */
  env: Record<string, string>;
}

/** A network entry from a JSON file (the shape of lib/networks.ts's entries), checked field by field. */
function readNetworkFile(file: string): ChainpassNetwork {
  let entry: Partial<ChainpassNetwork>;
  try {
    entry = JSON.parse(readFileSync(file, "utf8")) as Partial<ChainpassNetwork>;
  } catch (error) {
    throw new UsageError(`--network-file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bad = (field: string, expected: string) => new UsageError(`--network-file ${file}: ${field} is not ${expected}`);
  if (!Number.isSafeInteger(entry.chainId) || entry.chainId! < 1) throw bad("chainId", "a positive integer");
  if (typeof entry.name !== "string" || entry.name === "") throw bad("name", "a name");
  if (typeof entry.rpcUrl !== "string" || typeof entry.indexUrl !== "string") throw bad("rpcUrl or indexUrl", "a URL");
  if (typeof entry.factory !== "string" || !isAddress(entry.factory)) throw bad("factory", "an address");
  if (!Number.isSafeInteger(entry.factoryStartBlock) || entry.factoryStartBlock! < 0) throw bad("factoryStartBlock", "a block number");
  if (entry.stablecoin !== undefined && !isAddress(entry.stablecoin.address)) throw bad("stablecoin.address", "an address");
  if (typeof entry.devWallet !== "boolean") throw bad("devWallet", "true or false");
  return entry as ChainpassNetwork;
}

/** What `--network ...` asks for, every URL checked; throws a UsageError naming what is wrong or missing. */
export function planStaticBuild(argv: string[]): StaticBuild {
  const flags = parseFlags(argv);
  const list = Object.entries(NETWORKS_BY_NAME)
    .map(([name, n]) => `${name} (chain ${n.chainId})`)
    .join(", ");
  let key: string;
  let network: ChainpassNetwork;
  if (flags["network-file"]) {
    if (flags.network) throw new UsageError(`give --network or --network-file, not both\n${USAGE}`);
    network = readNetworkFile(flags["network-file"]);
    key = `chain-${network.chainId}`;
  } else {
    if (!flags.network) throw new UsageError(`--network is missing; known networks (lib/networks.ts): ${list}\n${USAGE}`);
    const found = Object.keys(NETWORKS_BY_NAME).find((name) => name === flags.network || String(NETWORKS_BY_NAME[name].chainId) === flags.network);
    if (!found) throw new UsageError(`unknown network "${flags.network}"; known networks (lib/networks.ts): ${list}`);
    key = found;
    network = NETWORKS_BY_NAME[key];
  }

  if (!flags["server-url"]) {
    throw new UsageError(
      `--server-url is missing: the Chainpass server's public URL (sign-in, uploads, offers, /metadata, /ipfs, the gate), e.g. https://api.example.com` +
        (network.devWallet ? " or http://127.0.0.1:8787 for `npm run dev`'s server" : ""),
    );
  }
  const server = httpUrl(flags["server-url"], "--server-url");
  if (server.search || server.hash) throw new UsageError(`--server-url "${flags["server-url"]}" has a query or fragment: give the server's base URL`);
  const serverUrl = server.href.replace(/\/+$/, "");

  let rpcUrl: string;
  if (flags["rpc-url"]) rpcUrl = httpUrl(flags["rpc-url"], "--rpc-url").href;
  else if (URL.canParse(network.rpcUrl)) rpcUrl = httpUrl(network.rpcUrl, `lib/networks.ts's rpcUrl of ${network.name}`).href;
  else {
    throw new UsageError(
      `--rpc-url is missing: ${network.name}'s rpcUrl in lib/networks.ts is "${network.rpcUrl}", a path on the dev server's proxy, which a static host does not have; ` +
        `give the chain's JSON-RPC URL${network.devWallet ? " (http://127.0.0.1:8545 for `npm run dev`'s node)" : ""}`,
    );
  }

  // A relative indexUrl is the server's own local index (server/indexer), so it lives at the server.
  const indexUrl = httpUrl(flags["index-url"] ?? new URL(network.indexUrl, serverUrl + "/").href, flags["index-url"] ? "--index-url" : `${network.name}'s indexUrl`).href;

  const gateway = flags["ipfs-gateway"] ? httpUrl(flags["ipfs-gateway"], "--ipfs-gateway").href : `${serverUrl}/ipfs/`;
  // ipfs://<cid>/path becomes <gateway><cid>/path: the gateway's path ends with a slash.
  const ipfsGateway = gateway.endsWith("/") ? gateway : gateway + "/";

  const outDir = resolve(ROOT, flags["out-dir"] ?? join("dist/web", key));
  // Vite empties the folder first: never a folder that holds something other than a build.
  const up = relative(outDir, ROOT);
  if (up === "" || (!up.startsWith("..") && !isAbsolute(up))) throw new UsageError(`--out-dir ${outDir} holds the repository: give a folder of its own`);
  if (outDir === join(ROOT, "frontend/dist")) throw new UsageError("--out-dir frontend/dist is the usual build's folder (vite preview and the browser tests serve it): give another");
  const isBuild = existsSync(join(outDir, "index.html")) && existsSync(join(outDir, "assets"));
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !isBuild) {
    throw new UsageError(`--out-dir ${outDir} is not empty and holds no earlier build (index.html and assets/): give an empty or new folder`);
  }

  return {
    network,
    key,
    outDir,
    env: {
      VITE_CHAINPASS_STATIC: "1",
      // The whole entry: the app needs no lib/networks.ts entry of its own for this chain.
      VITE_CHAINPASS_NETWORK: JSON.stringify({ ...network, rpcUrl, indexUrl }),
      VITE_CHAINPASS_SERVER_URL: serverUrl,
      VITE_CHAINPASS_IPFS_GATEWAY: ipfsGateway,
    },
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [VITE, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: string[]): Promise<number> {
  const isStatic = argv.some((arg) => FLAGS.some((flag) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)));
  // Without these flags: exactly `vite build --config frontend/vite.config.ts`, other options passed on.
  if (!isStatic) return run(["build", "--config", CONFIG, ...argv], process.env);

  const plan = planStaticBuild(argv);
  // The baked values replace any from the environment or frontend/.env files; production React.
  const code = await run(["build", "--config", CONFIG, "--outDir", plan.outDir, "--emptyOutDir"], { ...process.env, NODE_ENV: "production", ...plan.env });
  if (code !== 0) return code;
  const baked = JSON.parse(plan.env.VITE_CHAINPASS_NETWORK) as ChainpassNetwork;
  const shown = isAbsolute(relative(process.cwd(), plan.outDir)) ? plan.outDir : relative(process.cwd(), plan.outDir) || ".";
  console.log(
    [
      ``,
      `Static build for ${plan.network.name} (chain ${plan.network.chainId}) in ${shown}/`,
      `  chain RPC     ${baked.rpcUrl}`,
      `  index         ${baked.indexUrl}`,
      `  server        ${plan.env.VITE_CHAINPASS_SERVER_URL}`,
      `  IPFS gateway  ${plan.env.VITE_CHAINPASS_IPFS_GATEWAY}`,
      `Host the folder anywhere (any sub-path, an IPFS gateway path); pages are <site>/#/events/<address> and so on.`,
      `Let the site's origin read the server: CHAINPASS_APP_ORIGINS=<origin> in the server's environment.`,
    ].join("\n"),
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `build:web: ${error.message}` : error);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
  );
}
