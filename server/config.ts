// Server configuration, from the environment (see .env.example). Every value is checked when the
// server starts; a bad one stops it with a message that names the variable.
//
// Threads (docs/ARCHITECTURE.md section 5): the main thread answers HTTP, sign-in and the gate's
// scans; the local index, uploads and offers, and the gate's chain follower run in worker threads.
// Each has its own database file, so no writer of one can make another wait for a lock:
//   databasePath         sessions, nonces, the admission ledger (shared by every gate of a venue)
//   indexDatabasePath    the local index's entities
//   contentDatabasePath  uploaded content, vouchers and allowlists
import { isIP } from "node:net";
import { dirname, join, parse } from "node:path";

import { getAddress, isAddress, isAddressEqual, isHex, type Address, type Hex } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";

import { NETWORKS_BY_NAME, type ChainpassNetwork } from "../lib/networks.js";

import type { ConnectionLimits } from "./connection-limits.js";
import { MAX_CHECK_IN_BATCH } from "./gate/check-in-gas.js";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "./indexer/graphql/limits.js";
import type { MetadataConfig } from "./metadata/index.js";
import { DEFAULT_SVG_LIMITS } from "./metadata/svg-limits.js";

export interface ServerConfig {
  host: string;
  /** The public API (every route), answered by the web thread. */
  port: number;
  /** The gate's own listener (every route too, the gate's on the main thread): gate devices use it. */
  gatePort: number;
  rpcUrl: string;
  chainId: number;
  factory: Address;
  /** Block the factory was deployed at: where log scans start. */
  factoryStartBlock: bigint;
  /** The platform's ChainpassMembership (deployed after the factory): the index follows its programs. Unset: no membership programs. */
  membership?: Address;
  /** SQLite database file (WAL) of sessions and the admission ledger. Several gate processes may share it. */
  databasePath: string;
  /**
   * PostgreSQL (DATABASE_URL, postgres://user:password@host:port/database): with it, the admission
   * ledger and the check-in writer's batches, nonces and lease live there, shared by gate servers
   * on several machines; without it, in the SQLite file `databasePath`.
   */
  databaseUrl?: string;
  /** The local index's database file. */
  indexDatabasePath: string;
  /** Uploaded content, vouchers and allowlists. */
  contentDatabasePath: string;
  /** Largest request body accepted, in bytes (uploads have their own limits). */
  bodyLimit: number;
  /** What one client may hold of each listener (server/connection-limits.ts). */
  connections: ConnectionLimits;
  /** Origins (or "*") of static builds of the web app that may read the server cross-origin (server/cors.ts). */
  appOrigins: string[];
  auth: {
    /** The SIWE `domain` (host[:port]) and `uri` origin the web app signs in from. */
    domain: string;
    origin: string;
    nonceTtlSeconds: number;
    sessionTtlSeconds: number;
    /** Mark the session cookie Secure (on for https deployments). */
    secureCookies: boolean;
  };
  /** The local index (server/indexer). Run it in one process per database. */
  indexer: {
    enabled: boolean;
    pollIntervalMs: number;
    reorgDepth: bigint;
    logRange: bigint;
    /** Bounds on each GraphQL request (server/indexer/graphql/limits.ts). */
    limits: QueryLimits;
  };
  /** Upload limits, the IPFS node and the remote pinning service (metadata module). */
  metadata: MetadataConfig;
  /** The points signer of membership programs that name its address (membership/poster.ts). */
  points: {
    /** Its key (CHAINPASS_POINTS_KEY); unset: no balances are posted from this server. */
    key?: Hex;
    /** How often it compares the index's balances with the chain's root. */
    intervalMs: number;
    /** The index it reads balances from (a subgraph's query URL); default: this server's local index. */
    indexUrl?: string;
  };
  /** The gas sponsorship service for passkey accounts (sponsorship/routes.ts): on with a key and a paymaster. */
  sponsorship: {
    /** The sponsor's key (CHAINPASS_SPONSOR_KEY): ChainpassPaymaster accepts what it signs. */
    key?: Hex;
    /** The platform's ChainpassPaymaster (CHAINPASS_PAYMASTER). */
    paymaster?: Address;
    /** The EntryPoint (v0.8) user operations go through. */
    entryPoint: Address;
    /** User operations an account may have sponsored per UTC day. */
    dailyLimit: number;
  };
  gate: {
    /** Key that writes admissions on chain (`checkIn`); it needs the GATE role on each event. */
    writerKey?: Hex;
    /** Admissions per checkIn transaction, at most. */
    batchSize: number;
    /** How often the writer polls a transaction in flight. */
    batchIntervalMs: number;
    /** With PostgreSQL: how long the writer lease lasts unrenewed (another server with the key takes over after). */
    writerLeaseMs: number;
    /** How often the gate's chain follower reads new blocks when nobody scans. */
    snapshotIntervalMs: number;
    /** A scan waits this long at most for the chain to confirm the snapshot is current; slower counts as offline. */
    freshnessTimeoutMs: number;
    /** The chain is asked for its head at most once per this interval; scans in between share the answer. */
    freshnessIntervalMs: number;
    /** The node's WebSocket for new-head announcements (head-follower.ts); undefined: head reads only. */
    headsUrl?: string;
    /** A head read slower than this, and than twice the WebSocket's round trip, lets the barrier decide on the last announced head instead. */
    slowHeadMs: number;
    /** An index (local index or The Graph) a newly opened event's snapshot is read from; unset: its logs are replayed. */
    indexUrl?: string;
    /** Time limit of one RPC request of the gate. */
    rpcTimeoutMs: number;
    /** Blocks of history the gate can undo after a reorg. */
    reorgDepth: number;
    maxFrameAge: number;
    maxClockSkew: number;
    /** Public registrations (backup codes, long delegations) a gate server takes a second, in all. */
    registrationsPerSecond: number;
    /** Logs are read in block ranges of this size. */
    logRange: bigint;
  };
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {}

function reader(env: NodeJS.ProcessEnv) {
  const raw = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const bad = (name: string, value: string, expected: string) => new ConfigError(`${name}=${JSON.stringify(value)} is not ${expected} (see .env.example)`);
  const int = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw bad(name, value, `a whole number from ${min} to ${max}`);
    return Number(value);
  };
  const big = (name: string, fallback: bigint) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) throw bad(name, value, "a whole number");
    return BigInt(value);
  };
  const bool = (name: string, fallback: boolean) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if (value !== "true" && value !== "false") throw bad(name, value, "true or false");
    return value === "true";
  };
  const url = (name: string, fallback?: string) => {
    const value = raw(name) ?? fallback;
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!/^https?:$/.test(parsed.protocol)) throw new Error();
    } catch {
      throw bad(name, value, "an http(s) URL");
    }
    return value;
  };
  const address = (name: string) => {
    const value = raw(name);
    if (value === undefined) throw new ConfigError(`Set ${name} (see .env.example)`);
    if (!isAddress(value, { strict: false })) throw bad(name, value, "an address");
    return getAddress(value);
  };
  const key = (name: string) => {
    const value = raw(name);
    if (value === undefined) return undefined;
    if (!isHex(value) || value.length !== 66) throw new ConfigError(`${name} is not a 32-byte hex private key (0x + 64 hex digits)`);
    return value as Hex;
  };
  /** A WebSocket URL: `off` for none, unset for the one beside `httpUrl` (http → ws, https → wss). */
  const wsUrl = (name: string, httpUrl: string) => {
    const value = raw(name);
    if (value === "off") return undefined;
    if (value === undefined) return httpUrl.replace(/^http/, "ws");
    try {
      if (!/^wss?:$/.test(new URL(value).protocol)) throw new Error();
    } catch {
      throw bad(name, value, "a ws(s) URL or off");
    }
    return value;
  };
  return { raw, int, big, bool, url, wsUrl, address, key };
}

/** A comma-separated variable's items: trimmed, empty ones dropped, each once. */
function commaList(text: string | undefined): string[] {
  return [...new Set((text ?? "").split(",").map((item) => item.trim()).filter(Boolean))];
}

/** CHAINPASS_PROXY_ADDRESSES: IP addresses whose connections are not limited per address (compared in one spelling there). */
function proxyAddresses(text: string | undefined): string[] {
  const addresses = commaList(text);
  const invalid = addresses.find((address) => isIP(address) === 0);
  if (invalid !== undefined) {
    throw new ConfigError(`CHAINPASS_PROXY_ADDRESSES: ${JSON.stringify(invalid)} is not an IP address (a comma-separated list like 10.0.0.2,fd00::2; see .env.example)`);
  }
  return addresses;
}

/** The remote pinning service (IPFS_PINNING_*): all or nothing, each value checked. */
function remotePinning(read: ReturnType<typeof reader>): MetadataConfig["pinning"] {
  const url = read.url("IPFS_PINNING_URL");
  const token = read.raw("IPFS_PINNING_TOKEN");
  const originsText = read.raw("IPFS_PINNING_ORIGINS");
  const retryMs = read.int("IPFS_PINNING_RETRY_MS", 30_000, 10, 3_600_000);
  if (url === undefined) {
    if (token !== undefined || originsText !== undefined) {
      throw new ConfigError(`IPFS_PINNING_${token !== undefined ? "TOKEN" : "ORIGINS"} is set but IPFS_PINNING_URL is not: set the pinning service's endpoint too (see .env.example)`);
    }
    return undefined;
  }
  // The token is a secret: never echoed.
  if (token === undefined) throw new ConfigError("Set IPFS_PINNING_TOKEN, the pinning service's access token, with IPFS_PINNING_URL (see .env.example)");
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ConfigError("IPFS_PINNING_TOKEN is not a bearer token (printable ASCII, no spaces) (see .env.example)");
  const origins = commaList(originsText);
  // Multiaddrs (/ip4/203.0.113.7/tcp/4001/p2p/12D3KooW...), at most 20 (the API's limit).
  if (originsText !== undefined && (origins.length > 20 || origins.some((origin) => !/^(\/[^/\s]+)+$/.test(origin)))) {
    throw new ConfigError(`IPFS_PINNING_ORIGINS=${JSON.stringify(originsText)} is not a comma-separated list of up to 20 multiaddrs (see .env.example)`);
  }
  return { url, token, origins, retryMs };
}

/** CHAINPASS_APP_ORIGINS: comma-separated origins (scheme://host[:port], no path) or "*". */
function appOrigins(text: string | undefined): string[] {
  const origins = commaList(text);
  for (const origin of origins) {
    if (origin === "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`CHAINPASS_APP_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://app.example.com (scheme, host, optional port; no path or trailing slash) or * (see .env.example)`);
    }
  }
  return origins;
}

/**
 * The chain settings: from the network entry CHAINPASS_NETWORK names (generated from its Ignition
 * deployment, `npm run network:entry`), or from CHAINPASS_CHAIN_ID, CHAINPASS_FACTORY and
 * CHAINPASS_FACTORY_START_BLOCK. With both, each variable set must agree with the entry.
 */
function chainSettings(read: ReturnType<typeof reader>, networks: Readonly<Record<string, ChainpassNetwork>>) {
  const name = read.raw("CHAINPASS_NETWORK");
  if (name === undefined) {
    return {
      rpcUrl: read.url("CHAINPASS_RPC_URL", "http://127.0.0.1:8545")!,
      chainId: read.int("CHAINPASS_CHAIN_ID", 31337, 1),
      factory: read.address("CHAINPASS_FACTORY"),
      factoryStartBlock: read.big("CHAINPASS_FACTORY_START_BLOCK", 0n),
      membership: read.raw("CHAINPASS_MEMBERSHIP") === undefined ? undefined : read.address("CHAINPASS_MEMBERSHIP"),
    };
  }
  const network = Object.hasOwn(networks, name) ? networks[name] : undefined;
  if (!network) throw new ConfigError(`CHAINPASS_NETWORK=${JSON.stringify(name)} is not a known network: ${Object.keys(networks).join(", ")} (npm run network:entry adds one)`);
  const disagree = (variable: string, value: string) => new ConfigError(`${variable}=${value} disagrees with the ${name} entry (CHAINPASS_NETWORK): unset it or fix the entry`);
  const chainId = read.int("CHAINPASS_CHAIN_ID", network.chainId, 1);
  if (chainId !== network.chainId) throw disagree("CHAINPASS_CHAIN_ID", String(chainId));
  const factory = read.raw("CHAINPASS_FACTORY") === undefined ? network.factory : read.address("CHAINPASS_FACTORY");
  if (!isAddressEqual(factory, network.factory)) throw disagree("CHAINPASS_FACTORY", factory);
  const factoryStartBlock = read.big("CHAINPASS_FACTORY_START_BLOCK", BigInt(network.factoryStartBlock));
  if (factoryStartBlock !== BigInt(network.factoryStartBlock)) throw disagree("CHAINPASS_FACTORY_START_BLOCK", String(factoryStartBlock));
  const membership = read.raw("CHAINPASS_MEMBERSHIP") === undefined ? network.membership : read.address("CHAINPASS_MEMBERSHIP");
  if (!isAddressEqual(membership, network.membership)) throw disagree("CHAINPASS_MEMBERSHIP", membership);
  // The entry's RPC is the app's (relative on the local chain); the server may use its own.
  const entryRpc = /^https?:\/\//.test(network.rpcUrl) ? network.rpcUrl : "http://127.0.0.1:8545";
  return { rpcUrl: read.url("CHAINPASS_RPC_URL", entryRpc)!, chainId, factory: getAddress(factory), factoryStartBlock, membership: getAddress(membership) };
}

/** A PostgreSQL connection URL, or undefined when unset or empty. */
function postgresUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !["postgres:", "postgresql:"].includes(url.protocol) || !url.hostname) {
    // Never echo the value: it may hold a password.
    throw new ConfigError("DATABASE_URL is not a PostgreSQL URL like postgres://user:password@host:5432/chainpass (see .env.example)");
  }
  return value;
}

/** `<dir>/<name>.<suffix>.db` beside the main database file. */
function besides(databasePath: string, suffix: string) {
  if (databasePath === ":memory:") return ":memory:";
  const { dir, name } = parse(databasePath);
  return join(dir || dirname(databasePath), `${name}.${suffix}.db`);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, networks: Readonly<Record<string, ChainpassNetwork>> = NETWORKS_BY_NAME): ServerConfig {
  const read = reader(env);
  const port = read.int("CHAINPASS_PORT", 8787, 0, 65_535);
  const databasePath = read.raw("CHAINPASS_DB") ?? "chainpass.db";
  const limits: QueryLimits = {
    maxQueryLength: read.int("CHAINPASS_QUERY_MAX_LENGTH", DEFAULT_QUERY_LIMITS.maxQueryLength, 100),
    maxTokens: read.int("CHAINPASS_QUERY_MAX_TOKENS", DEFAULT_QUERY_LIMITS.maxTokens, 50),
    maxDepth: read.int("CHAINPASS_QUERY_MAX_DEPTH", DEFAULT_QUERY_LIMITS.maxDepth, 2, 100),
    maxInputDepth: read.int("CHAINPASS_QUERY_MAX_INPUT_DEPTH", DEFAULT_QUERY_LIMITS.maxInputDepth, 1, 100),
    maxStatements: read.int("CHAINPASS_QUERY_MAX_STATEMENTS", DEFAULT_QUERY_LIMITS.maxStatements, 1),
    maxWork: read.int("CHAINPASS_QUERY_MAX_WORK", DEFAULT_QUERY_LIMITS.maxWork, 1),
    timeoutMs: read.int("CHAINPASS_QUERY_TIMEOUT_MS", DEFAULT_QUERY_LIMITS.timeoutMs, 10),
  };
  const chain = chainSettings(read, networks);
  return {
    host: read.raw("CHAINPASS_HOST") ?? "127.0.0.1",
    port,
    gatePort: read.int("CHAINPASS_GATE_PORT", port === 0 ? 0 : port + 1, 0, 65_535),
    ...chain,
    databasePath,
    databaseUrl: postgresUrl(read.raw("DATABASE_URL")),
    indexDatabasePath: read.raw("CHAINPASS_INDEX_DB") ?? besides(databasePath, "index"),
    contentDatabasePath: read.raw("CHAINPASS_CONTENT_DB") ?? besides(databasePath, "content"),
    bodyLimit: read.int("CHAINPASS_BODY_LIMIT", 64 * 1024, 1024),
    connections: {
      perAddress: read.int("CHAINPASS_MAX_CONNECTIONS_PER_ADDRESS", 256, 0),
      unlimited: proxyAddresses(read.raw("CHAINPASS_PROXY_ADDRESSES")),
      headersTimeoutMs: read.int("CHAINPASS_HEADERS_TIMEOUT_MS", 10_000, 100),
    },
    appOrigins: appOrigins(read.raw("CHAINPASS_APP_ORIGINS")),
    auth: {
      domain: read.raw("CHAINPASS_SIWE_DOMAIN") ?? `localhost:${port}`,
      origin: read.url("CHAINPASS_SIWE_ORIGIN", `http://localhost:${port}`)!,
      nonceTtlSeconds: read.int("CHAINPASS_NONCE_TTL", 300, 10),
      sessionTtlSeconds: read.int("CHAINPASS_SESSION_TTL", 12 * 3600, 60),
      secureCookies: read.bool("CHAINPASS_SECURE_COOKIES", false),
    },
    indexer: {
      enabled: read.bool("CHAINPASS_INDEXER", true),
      pollIntervalMs: read.int("CHAINPASS_INDEX_POLL_MS", 1000, 10),
      reorgDepth: read.big("CHAINPASS_INDEX_REORG_DEPTH", 64n),
      logRange: read.big("CHAINPASS_INDEX_LOG_RANGE", 2000n),
      limits,
    },
    metadata: {
      maxArtworkBytes: read.int("CHAINPASS_MAX_ARTWORK_BYTES", 5 * 1024 * 1024, 1024),
      maxMetadataBytes: read.int("CHAINPASS_MAX_METADATA_BYTES", 64 * 1024, 1024),
      svg: {
        maxBytes: read.int("CHAINPASS_MAX_SVG_BYTES", DEFAULT_SVG_LIMITS.maxBytes, 1024),
        maxDepth: read.int("CHAINPASS_MAX_SVG_DEPTH", DEFAULT_SVG_LIMITS.maxDepth, 4, 1000),
        maxElements: read.int("CHAINPASS_MAX_SVG_ELEMENTS", DEFAULT_SVG_LIMITS.maxElements, 10),
      },
      ipfsApiUrl: read.url("IPFS_API_URL"),
      pinning: remotePinning(read),
    },
    points: {
      key: read.key("CHAINPASS_POINTS_KEY"),
      intervalMs: read.int("CHAINPASS_POINTS_INTERVAL_MS", 30_000, 100),
      indexUrl: read.url("CHAINPASS_POINTS_INDEX_URL"),
    },
    sponsorship: {
      key: read.key("CHAINPASS_SPONSOR_KEY"),
      paymaster: read.raw("CHAINPASS_PAYMASTER") === undefined ? undefined : read.address("CHAINPASS_PAYMASTER"),
      entryPoint: read.raw("CHAINPASS_ENTRYPOINT") === undefined ? entryPoint08Address : read.address("CHAINPASS_ENTRYPOINT"),
      dailyLimit: read.int("CHAINPASS_SPONSOR_DAILY_LIMIT", 20, 1, 10_000),
    },
    gate: {
      writerKey: read.key("CHAINPASS_GATE_KEY"),
      batchSize: read.int("CHAINPASS_GATE_BATCH_SIZE", 250, 1, MAX_CHECK_IN_BATCH),
      batchIntervalMs: read.int("CHAINPASS_GATE_BATCH_INTERVAL_MS", 250, 10),
      writerLeaseMs: read.int("CHAINPASS_GATE_WRITER_LEASE_MS", 5000, 500, 600_000),
      snapshotIntervalMs: read.int("CHAINPASS_SNAPSHOT_INTERVAL_MS", 1000, 10),
      freshnessTimeoutMs: read.int("CHAINPASS_FRESHNESS_TIMEOUT_MS", 500, 10),
      // A head read costs the node about 0.17 ms of CPU and the gate 0.12 (bench:gate): at 2 ms a busy
      // gate asked up to 500 times a second, and in the cluster benchmark the reads were most of the
      // node's work. 4 ms halves that for at most 2 ms more of waiting a scan (1 on average); a quiet
      // door's scan still asks at once, and a node farther than 4 ms is asked once per answer anyway.
      freshnessIntervalMs: read.int("CHAINPASS_FRESHNESS_INTERVAL_MS", 4, 0, 1000),
      headsUrl: read.wsUrl("CHAINPASS_RPC_WS_URL", chain.rpcUrl),
      slowHeadMs: read.int("CHAINPASS_FRESHNESS_SLOW_HEAD_MS", 5, 1, 10_000),
      indexUrl: read.url("CHAINPASS_GATE_INDEX_URL"),
      rpcTimeoutMs: read.int("CHAINPASS_GATE_RPC_TIMEOUT_MS", 3000, 100),
      reorgDepth: read.int("CHAINPASS_GATE_REORG_DEPTH", 64, 1, 10_000),
      maxFrameAge: read.int("CHAINPASS_MAX_FRAME_AGE", 35, 1),
      maxClockSkew: read.int("CHAINPASS_MAX_CLOCK_SKEW", 5, 0),
      registrationsPerSecond: read.int("CHAINPASS_GATE_REGISTRATIONS_PER_SECOND", 50, 1),
      logRange: read.big("CHAINPASS_LOG_RANGE", 5000n),
    },
  };
}
