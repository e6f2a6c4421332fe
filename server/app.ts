// The Chainpass server: one Fastify process, one module per concern (docs/ARCHITECTURE.md section 5).
import cookie from "@fastify/cookie";
import Fastify, { type FastifyError } from "fastify";

import { AuthStore } from "./auth/store.js";
import { registerAuth } from "./auth/routes.js";
import { publicClientFor, walletClientFor, type PublicClient } from "./chain.js";
import type { ServerConfig } from "./config.js";
import { openDatabase, type Database } from "./db.js";
import { AdmissionLedger } from "./gate/ledger.js";
import { registerGate } from "./gate/routes.js";
import { GateService } from "./gate/service.js";
import { CheckInWriter } from "./gate/writer.js";
import { createIndexer, registerIndexer, type Indexer } from "./indexer/index.js";
import { registerMetadata } from "./metadata/index.js";
import { OffersStore, registerOffers } from "./offers/index.js";

export interface App {
  server: ReturnType<typeof Fastify>;
  gate: GateService;
  writer?: CheckInWriter;
  indexer?: Indexer;
  db: Database;
  /** Starts the background work: following the chain, writing admissions. */
  start(): void;
  close(): Promise<void>;
}

export function buildApp(config: ServerConfig, deps: { db?: Database; client?: PublicClient; logger?: boolean } = {}): App {
  const db = deps.db ?? openDatabase(config.databasePath);
  const client = deps.client ?? publicClientFor(config);
  const server = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimit,
    // A number where a string belongs, or a field we do not know, is a malformed request: refuse
    // it rather than coerce or drop it.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // Token ids and amounts are bigints: they go out as decimal strings.
  server.setReplySerializer((payload) => JSON.stringify(payload, (_key, value) => (typeof value === "bigint" ? value.toString() : value)));

  // Bad input is the client's mistake: a 4xx that names what is wrong, never a 500.
  server.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : undefined;
    if (status) {
      const reason =
        error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
          ? "body-too-large"
          : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
            ? "unsupported-content-type"
            : error.validation
              ? "invalid-request"
              : "bad-request";
      return reply.code(status).send({ error: reason, message: error.message });
    }
    server.log.error(error);
    if (process.env.CHAINPASS_DEBUG) console.error(error);
    return reply.code(500).send({ error: "internal", message: "Something went wrong on the server" });
  });
  server.setNotFoundHandler((request, reply) => reply.code(404).send({ error: "not-found", message: `No route ${request.method} ${request.url}` }));

  server.register(cookie);
  const auth = new AuthStore(db);
  const ledger = new AdmissionLedger(db);
  const gate = new GateService(config, client, ledger);
  const writer = config.gate.writerKey
    ? new CheckInWriter(ledger, client, walletClientFor(config, config.gate.writerKey), {
        batchSize: config.gate.batchSize,
        intervalMs: config.gate.batchIntervalMs,
      })
    : undefined;

  const indexer = config.indexer.enabled
    ? createIndexer({
        db,
        client,
        factory: config.factory,
        startBlock: config.factoryStartBlock,
        range: config.indexer.logRange,
        reorgDepth: config.indexer.reorgDepth,
        pollIntervalMs: config.indexer.pollIntervalMs,
        log: (message) => server.log.warn(`indexer: ${message}`),
      })
    : undefined;

  server.register(async (scope) => {
    // Auth first: its hook gives every route in this scope `request.session`.
    registerAuth(scope, config, auth);
    registerGate(scope, gate, writer);
    registerMetadata(scope, { config: config.metadata, db, client, factory: config.factory });
    registerOffers(scope, { store: new OffersStore(db), client, chainId: config.chainId });
    if (indexer) registerIndexer(scope, indexer);
  });
  server.get("/health", async () => ({ ok: true }));

  return {
    server,
    gate,
    writer,
    indexer,
    db,
    start() {
      gate.startFollowing();
      writer?.start();
      indexer?.start();
    },
    async close() {
      writer?.stop();
      gate.stopFollowing();
      await indexer?.stop();
      await server.close();
      db.close();
    },
  };
}
