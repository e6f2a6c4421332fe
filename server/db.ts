// SQLite through Node's built-in node:sqlite (no native addon). WAL lets several server
// processes (several gates of one venue) share one file; each module creates its own tables.
import { DatabaseSync } from "node:sqlite";

export type Database = DatabaseSync;

/** How long a statement waits for another connection's write lock before it fails. */
const BUSY_TIMEOUT_MS = 5000;
/** SQLite's result code for "database is locked". */
const SQLITE_BUSY = 5;

export function openDatabase(path: string): Database {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
    PRAGMA foreign_keys = ON;
  `);
  return db;
}

/**
 * Runs a write without letting SQLite put this thread to sleep while another connection (the
 * check-in writer's thread, another gate process) holds the write lock. SQLite's busy handler
 * sleeps the whole thread, 1 ms at the least and longer each try; on the gate's thread every scan
 * in progress would sleep with it. Here a write that finds the lock taken fails at once and is
 * tried again after a timer, while the event loop goes on, until the connection's busy timeout.
 * `work` must leave nothing behind when it fails with SQLITE_BUSY: one statement, or a
 * transaction opened with BEGIN IMMEDIATE (`transaction`).
 */
export function writeWithoutSleeping<T>(db: Database, work: () => T): Promise<T> {
  const started = performance.now();
  return new Promise<T>((resolve, reject) => {
    const attempt = () => {
      try {
        db.exec("PRAGMA busy_timeout = 0");
        try {
          resolve(work());
        } finally {
          db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
        }
      } catch (error) {
        // (A connection closed before a try comes here too, and rejects.)
        if ((error as { errcode?: number }).errcode === SQLITE_BUSY && performance.now() - started < BUSY_TIMEOUT_MS) setTimeout(attempt, 1);
        else reject(error as Error);
      }
    };
    attempt();
  });
}

/** Runs `work` in one write transaction (BEGIN IMMEDIATE: it takes the write lock up front). */
export function transaction<T>(db: Database, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** A synchronous call as a promise: its error becomes a rejection, as a PostgreSQL error would (the async adapters of the SQLite stores). */
export function asPromise<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
