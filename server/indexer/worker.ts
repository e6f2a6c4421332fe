// The local index in its own worker thread (started by server/app.ts, at a lower priority than
// the gate's thread): it follows the chain, writes its own database, and answers the GraphQL
// requests the main thread forwards. A query that runs away is stopped by its limits
// (graphql/limits.ts); one that still hangs the thread only delays other queries, never a scan.
import Fastify from "fastify";

import { publicClientFor } from "../chain.js";
import type { ServerConfig } from "../config.js";
import { openDatabase } from "../db.js";
import { installErrorHandling, STRICT_AJV } from "../http-errors.js";
import { answerForwarded, type ForwardedRequest } from "../workers/http-bridge.js";
import { emit, moduleData, serve } from "../workers/runtime.js";
import { createIndexer, registerIndexer, type IndexerStatus } from "./index.js";

export type IndexWorkerRequest = ForwardedRequest | { kind: "start" } | { kind: "sync" } | { kind: "status" };

const { config } = moduleData<{ config: ServerConfig }>();
const db = openDatabase(config.indexDatabasePath);
const indexer = createIndexer({
  db,
  client: publicClientFor(config),
  factory: config.factory,
  membership: config.membership,
  startBlock: config.factoryStartBlock,
  range: config.indexer.logRange,
  reorgDepth: config.indexer.reorgDepth,
  pollIntervalMs: config.indexer.pollIntervalMs,
  limits: config.indexer.limits,
  log: (message) => emit({ type: "log", message: `indexer: ${message}` }),
});

const app = Fastify({ logger: false, bodyLimit: config.bodyLimit, ajv: STRICT_AJV });
installErrorHandling(app);
registerIndexer(app, indexer);
const http = answerForwarded(app);
await app.ready();

serve<IndexWorkerRequest, unknown>(async (request): Promise<unknown> => {
  switch (request.kind) {
    case "http":
      return http(request);
    case "start":
      indexer.start();
      return true;
    case "sync":
      return (await indexer.syncOnce()) satisfies IndexerStatus;
    case "status":
      return indexer.status();
  }
});
