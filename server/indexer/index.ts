// The local index (docs/ARCHITECTURE.md section 4): follows the Chainpass contracts with viem, applies the
// handlers of ./mappings (a mirror of subgraph/src) to entities in SQLite, and answers The Graph's
// GraphQL dialect for subgraph/schema.graphql at /subgraphs/name/chainpass.
//
//   const indexer = createIndexer({ db, client, factory, startBlock });
//   registerIndexer(scope, indexer);   // routes
//   indexer.start();                   // backfill, then poll for new blocks
import type { FastifyInstance } from "fastify";
import type { Address } from "viem";

import type { PublicClient } from "../chain.js";
import type { Database } from "../db.js";
import { ChainFollower, HandlerError } from "./follower.js";
import { GraphQLApi, type GraphQLRequest, type GraphQLResponse } from "./graphql/api.js";
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from "./graphql/limits.js";
import { buildApiSchema } from "./graphql/schema.js";
import { Journal, type BlockRef } from "./journal.js";
import { registerIndexerRoutes } from "./routes.js";
import { chainpassSchema } from "./schema.js";
import { EntityStore } from "./store.js";

export { SUBGRAPH_PATH } from "./routes.js";

export interface IndexerOptions {
  db: Database;
  client: PublicClient;
  factory: Address;
  /** ChainpassMembership (organizers' membership programs); unset: none indexed. */
  membership?: Address;
  /** The factory's deployment block: nothing before it is read. */
  startBlock: bigint;
  /** Blocks per eth_getLogs request. Default 2,000. */
  range?: bigint;
  /** Recent blocks kept rollback-ready for reorgs. Default 64. */
  reorgDepth?: bigint;
  /** Pause between polls once caught up. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Logs applied per SQLite transaction (queries run in between). Default 5,000. */
  logsPerTransaction?: number;
  /** Block headers requested at once. Default 16. */
  headerConcurrency?: number;
  /** Reports reorgs, restarts from scratch and failing syncs. Default: console.warn. */
  log?: (message: string) => void;
  /** Bounds on each GraphQL request (graphql/limits.ts). */
  limits?: QueryLimits;
}

export interface IndexerStatus {
  /** The last indexed block. */
  block?: BlockRef;
  /** Logs handled by this process. */
  logsApplied: number;
  /** A handler failed: the index stays before that log's block (as a failed subgraph does). */
  hasIndexingErrors: boolean;
  lastError?: string;
}

export interface Indexer {
  readonly api: GraphQLApi;
  /** Follows the chain in the background until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** Indexes up to the current head (waits for a sync in progress first). Rejects if it fails. */
  syncOnce(): Promise<IndexerStatus>;
  status(): IndexerStatus;
  query(request: GraphQLRequest): GraphQLResponse;
}

export function createIndexer(options: IndexerOptions): Indexer {
  const schema = chainpassSchema();
  const log = options.log ?? ((message: string) => console.warn(`[indexer] ${message}`));
  const store = new EntityStore(options.db, schema);
  const journal = new Journal(options.db, store);
  const follower = new ChainFollower(options.db, store, journal, options.client, {
    factory: options.factory,
    membership: options.membership,
    startBlock: options.startBlock,
    range: options.range ?? 2_000n,
    reorgDepth: options.reorgDepth ?? 64n,
    logsPerTransaction: options.logsPerTransaction ?? 5_000,
    headerConcurrency: options.headerConcurrency ?? 16,
    log,
  });
  journal.open(follower.identity);

  let hasIndexingErrors = false;
  let lastError: string | undefined;
  const status = (): IndexerStatus => ({ block: journal.cursor(), logsApplied: follower.logsApplied, hasIndexingErrors, lastError });
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const api = new GraphQLApi(buildApiSchema(schema, options.db, () => ({ block: journal.cursor(), deployment: "chainpass", hasIndexingErrors }), limits), limits);

  // One sync at a time: syncOnce() and the polling loop queue up. stop() ends the loop's sync
  // (a long backfill) at its next transaction boundary.
  let queue: Promise<unknown> = Promise.resolve();
  let closing = false;
  const sync = (stopping: () => boolean) => {
    const run = queue.then(async () => {
      try {
        await follower.sync(stopping);
        lastError = undefined;
        hasIndexingErrors = false;
      } catch (error) {
        hasIndexingErrors ||= error instanceof HandlerError;
        lastError = (error as Error).message;
        throw error;
      }
      return status();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const syncOnce = () => sync(() => false);

  let stopped = true;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;

  return {
    api,
    status,
    syncOnce,
    query: (request) => api.run(request),
    start() {
      if (!stopped) return;
      stopped = false;
      closing = false;
      loop = (async () => {
        let reported: string | undefined;
        while (!stopped) {
          try {
            await sync(() => closing);
            reported = undefined;
          } catch (error) {
            const message = (error as Error).message;
            if (message !== reported) log(message);
            reported = message;
          }
          if (stopped) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollIntervalMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      })();
    },
    async stop() {
      stopped = true;
      closing = true;
      wake?.();
      await loop;
      await queue;
    },
  };
}

/** Mounts the GraphQL endpoint (POST and GET /subgraphs/name/chainpass) on a Fastify scope. */
export function registerIndexer(scope: FastifyInstance, indexer: Indexer) {
  registerIndexerRoutes(scope, indexer.api);
}
