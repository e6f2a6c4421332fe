// SQLite through Node's built-in node:sqlite (no native addon). WAL lets several server
// processes (several gates of one venue) share one file; each module creates its own tables.
import { DatabaseSync } from "node:sqlite";

export type Database = DatabaseSync;

export function openDatabase(path: string): Database {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 5000;
    PRAGMA foreign_keys = ON;
  `);
  return db;
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
