// The server's public HTTP listener (CHAINPASS_PORT), in a worker thread at a lower priority than
// the gate's thread: uploads and content (metadata, /ipfs), offers (vouchers, allowlists), the
// local index's GraphQL (in a worker of its own, started from here), and sign-in and the gate's
// routes, which it forwards to the main thread. Gate devices reach the main thread directly on
// CHAINPASS_GATE_PORT, so nothing this listener receives (a flood of queries, 4 MB uploads) is
// ever parsed on the thread that answers scans.
import cookie from "@fastify/cookie";
import Fastify from "fastify";
import { CID } from "multiformats/cid";
import { privateKeyToAccount } from "viem/accounts";

import { resolveSessions } from "./auth/routes.js";
import { PgSessionStore } from "./auth/pg-store.js";
import { SessionReader } from "./auth/store.js";
import { openPool } from "./pg.js";
import { publicClientFor, walletClientFor } from "./chain.js";
import type { ServerConfig } from "./config.js";
import { closeListener } from "./close-listener.js";
import { limitConnectionsPerAddress, listenerOptions } from "./connection-limits.js";
import { allowAppOrigins } from "./cors.js";
import { openDatabase } from "./db.js";
import { installErrorHandling, serializeBigInts, STRICT_AJV } from "./http-errors.js";
import type { IndexerStatus } from "./indexer/index.js";
import type { IndexWorkerRequest } from "./indexer/worker.js";
import { SUBGRAPH_PATH } from "./indexer/routes.js";
import { registerMembership } from "./membership/routes.js";
import { createPointsPoster } from "./membership/poster.js";
import { PointsTreeStore } from "./membership/tree-store.js";
import { registerAnnouncementFeeds } from "./announcements/feed.js";
import { registerSponsorship } from "./sponsorship/routes.js";
import { SponsorshipStore } from "./sponsorship/store.js";
import { ContentCatalog, contentStoreFor, registerMetadata } from "./metadata/index.js";
import { queryIndex } from "../lib/index/client.js";
import { OffersStore, registerOffers } from "./offers/index.js";
import { WorkerHost } from "./workers/host.js";
import { answerForwarded, forwardRoutes, type ForwardedRequest, type ForwardedResponse } from "./workers/http-bridge.js";
import { callMain, emit, moduleData, serve } from "./workers/runtime.js";

export type WebWorkerRequest =
  | ForwardedRequest
  | { kind: "listen"; host: string; port: number }
  | { kind: "index"; action: "start" | "sync" | "status" }
  | { kind: "points"; action: "start" | "round" }
  /** The server is stopping: stop listening, and answer the requests under way first. */
  | { kind: "close" };

/** GraphQL requests queued for the index worker at most; more get 503 "busy" at once. */
const INDEX_MAX_IN_FLIGHT = 16;

const { config } = moduleData<{ config: ServerConfig }>();
const content = openDatabase(config.contentDatabasePath);
// Sessions are the main thread's (sign-in writes them there); this thread only reads them, from
// the same store: PostgreSQL with DATABASE_URL (migrated by the main thread before it listens).
const log = (message: string) => emit({ type: "log", message });
const sessions = config.databaseUrl ? new PgSessionStore(openPool(config.databaseUrl, { max: 2, log })) : new SessionReader(openDatabase(config.databasePath));
const client = publicClientFor(config);

const index = config.indexer.enabled
  ? new WorkerHost<IndexWorkerRequest, unknown>({
      name: "index",
      entry: new URL("./indexer/worker.ts", import.meta.url),
      data: { config },
      // This thread's nice value is inherited: the index runs below the gate too.
      maxHeapMb: 1024,
      maxInFlight: INDEX_MAX_IN_FLIGHT,
      onEvent: (body) => emit(body),
      log,
    })
  : undefined;

/** A GraphQL query of this server's local index, through its worker (no HTTP round trip). */
async function queryLocalIndex<T>(document: string, variables: Record<string, unknown>): Promise<T> {
  if (!index) throw new Error("the local index is off (CHAINPASS_INDEXER=false): set CHAINPASS_POINTS_INDEX_URL");
  const body = new TextEncoder().encode(JSON.stringify({ query: document, variables }));
  const response = (await index.request({ kind: "http", method: "POST", url: SUBGRAPH_PATH, headers: { "content-type": "application/json" }, body }, 30_000)) as ForwardedResponse;
  const parsed = JSON.parse(new TextDecoder().decode(response.body)) as { data?: T; errors?: { message: string }[] };
  if (parsed.errors?.length || parsed.data === undefined) throw new Error(`index: ${parsed.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.statusCode}`}`);
  return parsed.data;
}

/** An announcement's text, if this server stored it (POST /metadata/announcement). */
const announcementContent = { catalog: new ContentCatalog(content), store: contentStoreFor(config.metadata, content) };
async function readAnnouncement(uri: string) {
  const cid = /^ipfs:\/\/([a-z0-9]+)$/i.exec(uri)?.[1];
  if (!cid || !announcementContent.catalog.find(cid)) return undefined;
  const text = JSON.parse(new TextDecoder().decode(await announcementContent.store.cat(CID.parse(cid)))) as { title?: unknown; body?: unknown; link?: unknown };
  if (typeof text.title !== "string" || typeof text.body !== "string") return undefined;
  return { title: text.title, body: text.body, ...(typeof text.link === "string" ? { link: text.link } : {}) };
}

const pointsStore = new PointsTreeStore(content);
const pointsIndexUrl = config.points.indexUrl;
const poster =
  config.membership && config.points.key
    ? createPointsPoster({
        client,
        wallet: walletClientFor(config, config.points.key),
        membership: config.membership,
        store: pointsStore,
        query: pointsIndexUrl ? (document, variables) => queryIndex(pointsIndexUrl, document, variables) : queryLocalIndex,
        intervalMs: config.points.intervalMs,
        log,
      })
    : undefined;

const app = Fastify({ logger: false, bodyLimit: config.bodyLimit, ajv: STRICT_AJV, ...listenerOptions(config.connections) });
limitConnectionsPerAddress(app.server, config.connections, log);
installErrorHandling(app);
serializeBigInts(app);
void app.register(cookie);
allowAppOrigins(app, config.appOrigins);
void app.register(async (scope) => {
  resolveSessions(scope, sessions);
  registerMetadata(scope, { config: config.metadata, db: content, client, factory: config.factory, log });
  registerOffers(scope, { store: new OffersStore(content), client, chainId: config.chainId });
  if (config.membership) registerMembership(scope, { store: pointsStore, client, membership: config.membership, signer: poster?.signer });
  const { sponsorship } = config;
  if (sponsorship.key && sponsorship.paymaster) {
    registerSponsorship(scope, {
      client,
      factory: config.factory,
      membership: config.membership,
      chainId: config.chainId,
      entryPoint: sponsorship.entryPoint,
      paymaster: sponsorship.paymaster,
      sponsor: privateKeyToAccount(sponsorship.key),
      store: new SponsorshipStore(content),
      dailyLimit: sponsorship.dailyLimit,
    });
  }
  registerAnnouncementFeeds(scope, { query: pointsIndexUrl ? (document, variables) => queryIndex(pointsIndexUrl, document, variables) : queryLocalIndex, readText: readAnnouncement });
  // Sign-in writes sessions, and scans belong to the gate: both are the main thread's.
  forwardRoutes(scope, (request, timeoutMs) => callMain<ForwardedResponse>(request, timeoutMs), [{ method: ["GET", "POST"], url: "/auth/*" }, { method: ["GET", "POST"], url: "/gate/*" }], {
    timeoutMs: 30_000,
    timeoutError: "gate-timeout",
  });
  if (index) {
    forwardRoutes(scope, (request, timeoutMs) => index.request(request, timeoutMs) as Promise<ForwardedResponse>, [{ method: ["GET", "POST"], url: "/subgraphs/*" }], {
      // The query's own limit stops it inside the worker; the queue ahead of it is bounded too.
      // Past both (a thread stuck outside JavaScript), the worker is replaced.
      timeoutMs: (INDEX_MAX_IN_FLIGHT + 1) * config.indexer.limits.timeoutMs + 5_000,
      timeoutError: "query-timeout",
      onTimeout: () => void index.restart(),
    });
  }
});
app.get("/health", async () => ({ ok: true }));
const http = answerForwarded(app);
await app.ready();

serve<WebWorkerRequest, unknown>(async (request) => {
  switch (request.kind) {
    case "http":
      return http(request);
    case "listen":
      await app.listen({ host: request.host, port: request.port });
      return (app.server.address() as { port: number }).port;
    case "index":
      if (!index) return undefined;
      if (request.action === "start") {
        // Follows the chain once its worker is up, however long that takes, and after a restart.
        index.standing("follow", { kind: "start" });
        return true;
      }
      return index.request({ kind: request.action === "sync" ? "sync" : request.action }, request.action === "sync" ? 120_000 : 30_000) as Promise<IndexerStatus | boolean>;
    case "points":
      if (!poster) return undefined;
      if (request.action === "start") return void poster.start();
      return poster.postOnce();
    case "close":
      await closeListener(app);
      return true;
  }
});
