// The Chainpass server (docs/ARCHITECTURE.md section 5): one process, and threads arranged so
// that nothing can keep the door waiting.
//
//   main thread   the gate's listener (CHAINPASS_GATE_PORT): sign-in (SIWE), scans and status,
//                 the admission ledger; other routes forwarded to the web thread
//   web thread    the public listener (CHAINPASS_PORT): uploads and content (/metadata, /ipfs),
//                 offers (/events), GraphQL (/subgraphs, to the index thread); sign-in and the
//                 gate's routes forwarded to the main thread
//   index thread  the local index: chain follower and GraphQL, started by the web thread
//   gate-chain    the gate's chain follower (gate/chain-worker.ts), behind the freshness
//                 barrier, and the check-in writer
//
// The web and index threads run at a lower priority (nice 10, per thread on Linux), each with its
// own database file and heap limit, and are restarted if they die. Both listeners answer every
// route; gate devices use the gate's, so the public traffic is never parsed on the scan's thread.
import cookie from "@fastify/cookie";
import Fastify from "fastify";

import { within } from "../lib/time-limit.js";
import { PgSessionStore } from "./auth/pg-store.js";
import { registerAuth, type SessionStore } from "./auth/routes.js";
import { AuthStore } from "./auth/store.js";
import { publicClientFor, type PublicClient } from "./chain.js";
import type { ServerConfig } from "./config.js";
import { closeListener } from "./close-listener.js";
import { limitConnectionsPerAddress, listenerOptions } from "./connection-limits.js";
import { openDatabase, type Database } from "./db.js";
import { migrate, openPool } from "./pg.js";
import { SqliteLedgerAdapter, type AsyncAdmissionLedger } from "./gate/async-ledger.js";
import { createBackupCodeTables } from "./gate/backup-codes.js";
import { createRegisteredDelegationTable } from "./gate/contract-signatures.js";
import { AdmissionLedger } from "./gate/ledger.js";
import { PgAdmissionLedger } from "./gate/pg-ledger.js";
import { createOfflineTables, registerOfflineGate } from "./gate/offline-routes.js";
import { registerGate } from "./gate/routes.js";
import { GateService } from "./gate/service.js";
import { installErrorHandling, serializeBigInts, STRICT_AJV } from "./http-errors.js";
import { postgresSql, sqliteSql } from "./shared-sql.js";
import type { IndexerStatus } from "./indexer/index.js";
import type { WebWorkerRequest } from "./web-worker.js";
import { WorkerHost, WorkerNotReady } from "./workers/host.js";
import { answerForwarded, forwardRoutes, type ForwardedRequest, type ForwardedResponse } from "./workers/http-bridge.js";

/** Nice value of the web worker (and the index worker it starts): the gate's thread (nice 0) goes first. */
const BACKGROUND_NICE = 19;
/**
 * How long stopping waits for each listener to answer the requests under way (a scan waits for
 * the chain's head and the ledger's insert, well under this). With the writer's 3 s
 * (gate/chain-view.ts), stopping stays within the 10 s `docker stop` allows before SIGKILL.
 */
const DRAIN_MS = 3_000;
/** How long the public listener waits for its thread to be ready before saying so (and waiting on). */
const WEB_READY_MS = 30_000;
/** How long the ready web thread may take to listen. */
const LISTEN_MS = 30_000;

export interface App {
  config: ServerConfig;
  server: ReturnType<typeof Fastify>;
  gate: GateService;
  /** The local index's worker (absent when the index is off). */
  indexer?: {
    /** Indexes up to the current head; resolves with the index's status. */
    syncOnce(): Promise<IndexerStatus>;
    status(): Promise<IndexerStatus>;
  };
  /** The membership programs' points signer (absent without CHAINPASS_POINTS_KEY and CHAINPASS_MEMBERSHIP). */
  points?: {
    /** One round now: roots and levels posted for the programs whose signer this server is. */
    postOnce(): Promise<{ programs: number; rootsPosted: number; levelsSet: number }>;
  };
  /** The main database: sessions and the admission ledger. */
  db: Database;
  /** Starts the background work: following the chain, writing admissions. */
  start(): void;
  /** Replaces the web thread, as after a crash: the new one listens on the same public port. */
  restartWeb(): Promise<void>;
  /**
   * Listens: the gate's routes on the main thread at `gatePort`, and the public API (everything,
   * the gate's routes forwarded) on the web thread at `port`.
   */
  listen(): Promise<{ url: string; gateUrl: string }>;
  close(): Promise<void>;
}

export function buildApp(config: ServerConfig, deps: { db?: Database; client?: PublicClient; logger?: boolean; webReadyMs?: number } = {}): App {
  const db = deps.db ?? openDatabase(config.databasePath);
  // The gate-chain thread checkpoints this database's WAL (gate/chain-worker.ts): a checkpoint on
  // this thread would make a scan wait for the disk.
  db.exec("PRAGMA wal_autocheckpoint = 0");
  const client = deps.client ?? publicClientFor(config);
  const server = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimit,
    // A number where a string belongs, or a field we do not know, is a malformed request: refuse
    // it rather than coerce or drop it.
    ajv: STRICT_AJV,
    ...listenerOptions(config.connections),
  });
  serializeBigInts(server);
  installErrorHandling(server);
  const log = (message: string) => server.log.warn(message);
  limitConnectionsPerAddress(server.server, config.connections, log);

  void server.register(cookie);
  // The admission ledger, SIWE nonces and sessions: SQLite in `db`, or with DATABASE_URL
  // PostgreSQL, shared by gate servers on several machines (its migrations applied before the
  // server listens): a staff member signed in at one is signed in at all.
  const pool = config.databaseUrl ? openPool(config.databaseUrl, { log }) : undefined;
  const auth: SessionStore = pool ? new PgSessionStore(pool) : new AuthStore(db);
  const migrated = pool ? migrate(pool, log).then(() => undefined) : Promise.resolve();
  migrated.catch(() => undefined); // awaited by listen()
  // The rest of the gate's venue-wide state (registered delegations, backup codes, offline
  // uploads and conflicts) lives in the same store as the ledger.
  const ledger: AsyncAdmissionLedger = pool ? new PgAdmissionLedger(pool, { ownsPool: true }) : new SqliteLedgerAdapter(new AdmissionLedger(db));
  const shared = pool ? postgresSql(pool) : sqliteSql(db);
  if (!pool) for (const createTables of [createRegisteredDelegationTable, createBackupCodeTables, createOfflineTables]) createTables(db);
  const gate = new GateService(config, client, ledger, log, shared);

  const workerLog = (body: unknown) => {
    const event = body as { type?: string; message?: string };
    if (event.type === "log" && event.message) log(event.message);
  };
  const answerHere = answerForwarded(server);
  let listening: { host: string; port: number } | undefined;
  const posting = Boolean(config.membership && config.points.key);
  const web = new WorkerHost<WebWorkerRequest, unknown>({
    name: "web",
    entry: new URL("./web-worker.ts", import.meta.url),
    data: { config },
    nice: BACKGROUND_NICE,
    maxHeapMb: 1024,
    onEvent: workerLog,
    // Sign-in and scans that reached the public listener.
    onCall: (request) => answerHere(request as ForwardedRequest),
    // A new web thread listens again, on the port the first one had (its index and points poster
    // are standing orders).
    onRestart: () => {
      if (!listening) return;
      const { host, port } = listening;
      listenPublic(host, port).catch((error: Error) => log(`the restarted web thread could not listen on ${host}:${port}: ${error.message}`));
    },
    log,
  });
  const webReadyMs = deps.webReadyMs ?? WEB_READY_MS;
  /**
   * The public listener, on the web thread; resolves with its port. That thread runs at nice 19,
   * so on a machine busy with other work it can take longer than any fixed limit to start (over
   * 30 s beside 2-4 spinning processes, measured). The gate's own listener does not depend on it:
   * so this waits on, saying so every `webReadyMs`, rather than fail the whole server. The listen
   * itself has its own limit, whenever in a wait the thread became ready.
   */
  async function listenPublic(host: string, port: number): Promise<number> {
    for (let waits = 1; ; waits++) {
      try {
        await web.whenReady(webReadyMs);
        break;
      } catch (error) {
        if (!(error instanceof WorkerNotReady)) throw error;
        log(`the public listener's thread is not ready after ${((waits * webReadyMs) / 1000).toFixed(1)} s; the gate's listener serves meanwhile`);
      }
    }
    return (await web.request({ kind: "listen", host, port }, LISTEN_MS)) as number;
  }
  const toWeb = (request: ForwardedRequest, timeoutMs: number) => web.request(request, timeoutMs) as Promise<ForwardedResponse>;

  void server.register(async (scope) => {
    // Auth first: its hook gives every route in this scope `request.session`.
    registerAuth(scope, config, auth, client);
    registerGate(scope, gate, config.gate.registrationsPerSecond);
    registerOfflineGate(scope, gate, shared, client, config);
    // Everything else is the web thread's; this listener forwards it so that one port serves all.
    forwardRoutes(
      scope,
      toWeb,
      [
        { method: "POST", url: "/metadata/artwork", bodyLimit: config.metadata.maxArtworkBytes },
        { method: "POST", url: "/metadata/event", bodyLimit: config.metadata.maxMetadataBytes },
        { method: ["GET", "POST", "PUT", "DELETE"], url: "/metadata/*" },
        { method: "GET", url: "/ipfs/*" },
        { method: ["GET", "POST", "PUT", "DELETE"], url: "/events/*" },
        { method: "GET", url: "/membership/*" },
        { method: "GET", url: "/announcements/*" },
        { method: "POST", url: "/paymaster" },
        { method: ["GET", "POST"], url: "/subgraphs/*" },
      ],
      { timeoutMs: 60_000, timeoutError: "timeout" },
    );
  });
  server.get("/health", async () => ({ ok: true }));

  return {
    config,
    server,
    gate,
    indexer: config.indexer.enabled
      ? {
          syncOnce: () => web.request({ kind: "index", action: "sync" }, 130_000) as Promise<IndexerStatus>,
          status: () => web.request({ kind: "index", action: "status" }, 30_000) as Promise<IndexerStatus>,
        }
      : undefined,
    points: posting ? { postOnce: () => web.request({ kind: "points", action: "round" }, 120_000) as Promise<{ programs: number; rootsPosted: number; levelsSet: number }> } : undefined,
    db,
    start() {
      // The follower and the check-in writer (gate/chain-worker.ts).
      gate.startFollowing();
      if (config.indexer.enabled) web.standing("index", { kind: "index", action: "start" });
      if (posting) web.standing("points", { kind: "points", action: "start" });
    },
    async listen() {
      await migrated;
      await server.listen({ host: config.host, port: config.gatePort });
      const port = await listenPublic(config.host, config.port);
      listening = { host: config.host, port }; // the port given, or the one the system chose for port 0
      const gatePort = (server.server.address() as { port: number }).port;
      return { url: `http://${config.host}:${port}`, gateUrl: `http://${config.host}:${gatePort}` };
    },
    restartWeb: () => web.restart(),
    /**
     * Stops the server, as a rolling restart does (SIGTERM): the listeners first, each answering
     * the requests under way (a scan in flight is admitted and answered, not admitted and cut
     * off), the public one before this thread's, whose inject a closing server refuses; then the
     * chain worker, its check-in writer handing the lease back. Each step waits `DRAIN_MS` at most.
     */
    async close() {
      await web.close({ body: { kind: "close" }, timeoutMs: DRAIN_MS });
      await within(closeListener(server), DRAIN_MS, () => undefined);
      await gate.stopFollowing();
      await ledger.close();
      db.close();
    },
  };
}
