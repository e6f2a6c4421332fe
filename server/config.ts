// Server configuration, from the environment (see .env.example). One process serves every
// module: auth (SIWE), gate, and, as they land, metadata and the local index.
import type { Address, Hex } from "viem";

import type { MetadataConfig } from "./metadata/index.js";

export interface ServerConfig {
  host: string;
  port: number;
  rpcUrl: string;
  chainId: number;
  factory: Address;
  /** Block the factory was deployed at: where log scans start. */
  factoryStartBlock: bigint;
  /** SQLite database file (WAL). Several server processes may share it. */
  databasePath: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
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
  indexer: { enabled: boolean; pollIntervalMs: number; reorgDepth: bigint; logRange: bigint };
  /** Upload limits and the IPFS node (metadata module). */
  metadata: MetadataConfig;
  gate: {
    /** Key that writes admissions on chain (`checkIn`); it needs the GATE role on each event. */
    writerKey?: Hex;
    batchSize: number;
    batchIntervalMs: number;
    /** How often the ownership snapshot follows the chain. */
    snapshotIntervalMs: number;
    maxFrameAge: number;
    maxClockSkew: number;
    /** Logs are read in block ranges of this size. */
    logRange: bigint;
  };
}

const number = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`Set ${name} (see .env.example)`);
    return value;
  };
  const port = number(env.CHAINPASS_PORT, 8787);
  return {
    host: env.CHAINPASS_HOST ?? "127.0.0.1",
    port,
    rpcUrl: env.CHAINPASS_RPC_URL ?? "http://127.0.0.1:8545",
    chainId: number(env.CHAINPASS_CHAIN_ID, 31337),
    factory: required("CHAINPASS_FACTORY") as Address,
    factoryStartBlock: BigInt(env.CHAINPASS_FACTORY_START_BLOCK ?? "0"),
    databasePath: env.CHAINPASS_DB ?? "chainpass.db",
    bodyLimit: number(env.CHAINPASS_BODY_LIMIT, 64 * 1024),
    auth: {
      domain: env.CHAINPASS_SIWE_DOMAIN ?? `localhost:${port}`,
      origin: env.CHAINPASS_SIWE_ORIGIN ?? `http://localhost:${port}`,
      nonceTtlSeconds: number(env.CHAINPASS_NONCE_TTL, 300),
      sessionTtlSeconds: number(env.CHAINPASS_SESSION_TTL, 12 * 3600),
      secureCookies: env.CHAINPASS_SECURE_COOKIES === "true",
    },
    indexer: {
      enabled: env.CHAINPASS_INDEXER !== "false",
      pollIntervalMs: number(env.CHAINPASS_INDEX_POLL_MS, 1000),
      reorgDepth: BigInt(env.CHAINPASS_INDEX_REORG_DEPTH ?? "64"),
      logRange: BigInt(env.CHAINPASS_INDEX_LOG_RANGE ?? "2000"),
    },
    metadata: {
      maxArtworkBytes: number(env.CHAINPASS_MAX_ARTWORK_BYTES, 5 * 1024 * 1024),
      maxMetadataBytes: number(env.CHAINPASS_MAX_METADATA_BYTES, 64 * 1024),
      ipfsApiUrl: env.IPFS_API_URL || undefined,
    },
    gate: {
      writerKey: env.CHAINPASS_GATE_KEY as Hex | undefined,
      batchSize: number(env.CHAINPASS_GATE_BATCH_SIZE, 100),
      batchIntervalMs: number(env.CHAINPASS_GATE_BATCH_INTERVAL_MS, 2000),
      snapshotIntervalMs: number(env.CHAINPASS_SNAPSHOT_INTERVAL_MS, 2000),
      maxFrameAge: number(env.CHAINPASS_MAX_FRAME_AGE, 35),
      maxClockSkew: number(env.CHAINPASS_MAX_CLOCK_SKEW, 5),
      logRange: BigInt(env.CHAINPASS_LOG_RANGE ?? "5000"),
    },
  };
}
