// The gate's venue-wide state beside the ledger (registered delegations, backup codes, offline
// uploads and their conflicts) through one small async interface, so each store is written once
// and runs on either back end: the SQLite file (db.ts, the embedded default) or PostgreSQL
// (DATABASE_URL, pg.ts) that gate servers on several machines share.
//
// Statements use `?` placeholders and SQL both engines read the same way (ON CONFLICT, LIMIT,
// subqueries). Tables: SQLite's are created by each store (`sqliteSchema`), PostgreSQL's by a
// migration (server/migrations/). PostgreSQL answers BIGINT and NUMERIC columns as strings and
// BYTEA as a Buffer: readers convert with Number(...) / new Uint8Array(...), which takes both.
import { asPromise, type Database } from "./db.js";
import type { Pool } from "./pg.js";

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, unknown>;

export interface SharedSql {
  /** Which engine answers (a store may need to say a thing differently). */
  readonly engine: "sqlite" | "postgres";
  run(sql: string, ...params: SqlValue[]): Promise<void>;
  get<T extends SqlRow = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  all<T extends SqlRow = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T[]>;
}

/** SQLite (node:sqlite, synchronous): statements prepared once; an error is a rejection, as PostgreSQL's would be. */
export function sqliteSql(db: Database): SharedSql {
  const statements = new Map<string, ReturnType<Database["prepare"]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    engine: "sqlite",
    run: (sql, ...params) => asPromise(() => void prepared(sql).run(...params)),
    get: <T extends SqlRow>(sql: string, ...params: SqlValue[]) => asPromise(() => prepared(sql).get(...params) as T | undefined),
    all: <T extends SqlRow>(sql: string, ...params: SqlValue[]) => asPromise(() => prepared(sql).all(...params) as T[]),
  };
}

/** `?` → `$1`, `$2`, … (our statements have no `?` inside string literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** PostgreSQL on `pool` (its migrations applied by whoever opened it). */
export function postgresSql(pool: Pool): SharedSql {
  const texts = new Map<string, string>();
  const text = (sql: string) => {
    let converted = texts.get(sql);
    if (converted === undefined) texts.set(sql, (converted = numbered(sql)));
    return converted;
  };
  const values = (params: SqlValue[]) => params.map((p) => (typeof p === "bigint" ? p.toString() : p));
  return {
    engine: "postgres",
    run: async (sql, ...params) => void (await pool.query(text(sql), values(params))),
    get: async <T extends SqlRow>(sql: string, ...params: SqlValue[]) => (await pool.query(text(sql), values(params))).rows[0] as T | undefined,
    all: async <T extends SqlRow>(sql: string, ...params: SqlValue[]) => (await pool.query(text(sql), values(params))).rows as T[],
  };
}
