// PostgreSQL for the stores that gate servers on several machines share (DATABASE_URL; SQLite
// through db.ts stays the embedded default). The client is `pg` (node-postgres) in pure
// JavaScript: pg-native would be a native addon, built against the wrong Node (DESIGN.md §2).
//
// The schema is made by migrations, plain SQL files in server/migrations/ (NNNN_name.sql, an
// `-- Up Migration` and a `-- Down Migration` part), applied in order by node-pg-migrate, which
// records them in the chainpass_migrations table. Why node-pg-migrate: it is maintained (9.0,
// 2026), runs programmatically on a client we hand it (no CLI, no configuration file, nothing to
// download), reads plain .sql files (no TypeScript loader at run time), and holds a PostgreSQL
// advisory lock while it migrates: with `advisoryLockMode: "wait"`, gate servers that start at the
// same moment apply each migration once, the others waiting, then finding nothing to do.
// postgres-migrations and postgrator (last releases December 2024) are smaller; umzug would need
// a storage and a lock of our own.
import { fileURLToPath } from "node:url";

import pg from "pg";

import { DATABASE_QUERY_TIMEOUT_MS } from "../lib/gate-timing.js";

export type Pool = pg.Pool;

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
const MIGRATIONS_TABLE = "chainpass_migrations";

export interface PoolOptions {
  /** Connections at most (pg's default: 10). */
  max?: number;
  /** Where connection errors of idle clients go (the server went away); they never throw. */
  log?: (message: string) => void;
  /**
   * A transaction that sends nothing for this long is ended by the server (default 10 s). Its
   * client may be frozen (a paused machine, a cut cable) while its locks stop everyone else: the
   * check-in writer's lease row is one (writer-lease.ts), so the writer's pool uses the lease's time.
   */
  idleInTransactionMs?: number;
  /** How long a statement may go unanswered before it fails (default DATABASE_QUERY_TIMEOUT_MS, 10 s: lib/gate-timing.ts says why). */
  queryTimeoutMs?: number;
}

/** A connection pool for `url` (postgres://user@host:port/database). */
export function openPool(url: string, options: PoolOptions = {}): Pool {
  // A database host that does not answer fails a request (3 s to connect, 10 s per query) rather
  // than holding it; a client that stops answering inside a transaction loses it (above).
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    application_name: "chainpass",
    connectionTimeoutMillis: 3_000,
    query_timeout: options.queryTimeoutMs ?? DATABASE_QUERY_TIMEOUT_MS,
    idle_in_transaction_session_timeout: options.idleInTransactionMs ?? 10_000,
  });
  // An idle client whose connection dies emits 'error' on the pool; unheard, it would end the
  // process. The next query gets a new connection (or its own error).
  pool.on("error", (error) => options.log?.(`postgres: idle connection lost: ${error.message}`));
  return pool;
}

/** A pool on `url` whose database has every migration applied (the pool is ended if migrating fails). */
export async function openMigratedPool(url: string, options: PoolOptions = {}): Promise<Pool> {
  const pool = openPool(url, options);
  try {
    await migrate(pool, options.log);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/** Applies every migration of server/migrations/ not yet applied; returns the names applied. */
export async function migrate(pool: Pool, log: (message: string) => void = () => undefined): Promise<string[]> {
  const { runner } = await import("node-pg-migrate"); // loaded when a PostgreSQL store opens, not by every server
  return withClient(pool, async (client) => {
    const quiet = () => undefined;
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: "up",
      checkOrder: true,
      singleTransaction: true,
      advisoryLockMode: "wait",
      logger: { debug: quiet, info: quiet, warn: log, error: log },
    });
    for (const migration of applied) log(`postgres: applied migration ${migration.name}`);
    return applied.map((m) => m.name);
  });
}

/** Runs `work` in one transaction on one connection of `pool`. */
export function transaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, close) => {
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      // A statement that went unanswered may still be in flight, and a ROLLBACK would wait behind
      // it for a whole query limit more: the connection is closed instead, which ends the
      // transaction at the server. Otherwise a connection that cannot even roll back is not reused.
      if (isUnanswered(error)) close();
      else await client.query("ROLLBACK").catch(close);
      throw error;
    }
  });
}

/** pg's error for a statement past `query_timeout`. */
const isUnanswered = (error: unknown) => error instanceof Error && error.message === "Query read timeout";

/**
 * Runs `use` on a connection of `pool` checked out for it; `close()` says not to reuse it. The
 * server may end the session while we hold it (idleInTransactionMs, a restart, a reset): a
 * checked-out client has no listener, and an unheard 'error' would end the process. Heard, the
 * next statement fails instead, and the connection is closed rather than put back.
 */
async function withClient<T>(pool: Pool, use: (client: pg.PoolClient, close: () => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const close = () => void (broken = true);
  client.on("error", close);
  try {
    return await use(client, close);
  } finally {
    client.off("error", close);
    client.release(broken);
  }
}
