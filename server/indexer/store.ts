// Entities in SQLite: one table per entity of the schema (`index_<Entity>`, one column per stored
// field, identifiers quoted because fields such as `start`, `end`, `from` and `to` are SQL
// keywords), and the load/save/remove API the mappings use in place of graph-ts's
// `Entity.load`, `entity.save()` and `store.remove`. Every change in a block that may still be
// reorganized away first hands the row's previous state to the undo journal. As in graph-node,
// an immutable entity is written once: saving it again is a mapping bug and throws.
import type { StatementSync } from "node:sqlite";

import type { Database } from "../db.js";
import type { DerivedFields, Entities } from "./generated/entities.js";
import { derivedSource, type EntityModel, type IndexSchema } from "./schema.js";
import { fromColumn, toColumn, type Column } from "./values.js";

export type EntityName = keyof Entities;
export type Row = Record<string, Column>;

export const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
export const tableOf = (entity: string) => quote(`index_${entity}`);

const SQL_TYPES: Record<string, string> = { Int: "INTEGER", Boolean: "INTEGER" };

/** Columns referenced by a @derivedFrom field are looked up by value: index them (with id, for paging). */
function indexedColumns(schema: IndexSchema, entity: EntityModel): string[] {
  const columns = new Set<string>();
  for (const other of schema.entities.values()) {
    for (const f of other.fields) {
      if (f.derivedFrom && f.entity === entity.name) columns.add(f.derivedFrom);
    }
  }
  return [...columns];
}

export function createEntityTables(db: Database, schema: IndexSchema) {
  for (const entity of schema.entities.values()) {
    const columns = entity.columns.map((f) => {
      const type = f.list ? "TEXT" : SQL_TYPES[f.scalar] ?? "TEXT";
      return `${quote(f.name)} ${type}${f.name === "id" ? " PRIMARY KEY" : f.nullable ? "" : " NOT NULL"}`;
    });
    db.exec(`CREATE TABLE IF NOT EXISTS ${tableOf(entity.name)} (${columns.join(", ")}) WITHOUT ROWID`);
    for (const column of indexedColumns(schema, entity)) {
      const field = entity.field.get(column)!;
      if (field.list) continue; // derived from a list: looked up through json_each, no plain index
      db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`index_${entity.name}_${column}`)} ON ${tableOf(entity.name)} (${quote(column)}, "id")`);
    }
  }
}

export function dropEntityTables(db: Database, schema: IndexSchema) {
  for (const entity of schema.entities.values()) db.exec(`DROP TABLE IF EXISTS ${tableOf(entity.name)}`);
}

/** Receives the state of a row before its first change in a journaled block (null: it did not exist). */
export type UndoRecorder = (entity: string, id: string, before: Row | null) => void;

interface Statements {
  select: StatementSync;
  upsert: StatementSync;
  remove: StatementSync;
}

/** The mappings' view of the store (graph-ts: `Entity.load`, `entity.save()`, `store.remove`, `entity.field.load()`). */
export interface MappingStore {
  load<K extends EntityName>(entity: K, id: string): Entities[K] | null;
  save<K extends EntityName>(entity: K, value: Entities[K]): void;
  remove(entity: EntityName, id: string): void;
  /** The entities a @derivedFrom field of `entity` `id` lists (graph-ts: `entity.field.load()`). */
  loadDerived<K extends EntityName, F extends keyof DerivedFields[K] & string>(entity: K, id: string, field: F): DerivedFields[K][F][];
}

/** A row as the current transaction sees it; `dirty` rows are written by flush(). */
interface Cached {
  entity: string;
  id: string;
  row: Row | null;
  dirty: boolean;
}

/**
 * The mappings' store. Within one transaction it keeps the rows it has read or written in memory
 * (as graph-node's entity cache does) and writes each changed row once, at flush(): a purchase
 * loads and saves its event, tier and buyer for every ticket, and its PendingPurchase is created
 * and removed within the transaction, so most writes never reach SQLite.
 */
export class EntityStore implements MappingStore {
  private readonly statements = new Map<string, Statements>();
  private readonly derivedStatements = new Map<string, StatementSync>();
  private readonly cache = new Map<string, Cached>();
  /** Rows already journaled in the current block (`entity id`). */
  private readonly touched = new Set<string>();
  private recorder?: UndoRecorder;

  constructor(private readonly db: Database, readonly schema: IndexSchema) {}

  /** Starts a block: with a recorder, each row's state before its first change is journaled. */
  beginBlock(recorder?: UndoRecorder) {
    this.touched.clear();
    this.recorder = recorder;
  }

  /** Writes the changed rows. Call before committing; derived lookups call it too (they read SQLite). */
  flush() {
    for (const entry of this.cache.values()) {
      if (!entry.dirty) continue;
      if (entry.row === null) this.prepared(entry.entity).remove.run(entry.id);
      else this.prepared(entry.entity).upsert.run(...this.model(entry.entity).columns.map((f) => entry.row![f.name]));
      entry.dirty = false;
    }
  }

  /** Forgets the cached rows: at the end of every transaction, committed or rolled back (another process may write next). */
  clear() {
    this.cache.clear();
    this.beginBlock(undefined);
  }

  private model(entity: string): EntityModel {
    const model = this.schema.entities.get(entity);
    if (!model) throw new Error(`Unknown entity ${entity}`);
    return model;
  }

  private prepared(entity: string): Statements {
    let s = this.statements.get(entity);
    if (!s) {
      const model = this.model(entity);
      const table = tableOf(entity);
      const names = model.columns.map((f) => quote(f.name));
      const updates = names.filter((n) => n !== '"id"').map((n) => `${n} = excluded.${n}`);
      s = {
        select: this.db.prepare(`SELECT * FROM ${table} WHERE "id" = ?`),
        upsert: this.db.prepare(
          `INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) ON CONFLICT ("id") DO ${
            updates.length ? `UPDATE SET ${updates.join(", ")}` : "NOTHING"
          }`,
        ),
        remove: this.db.prepare(`DELETE FROM ${table} WHERE "id" = ?`),
      };
      this.statements.set(entity, s);
    }
    return s;
  }

  private decode(model: EntityModel, row: Row): Record<string, unknown> {
    const value: Record<string, unknown> = {};
    for (const f of model.columns) value[f.name] = fromColumn(f, row[f.name]);
    return value;
  }

  /** The cached row of (entity, id), read from SQLite on first use. */
  private entry(entity: string, id: string): Cached {
    const key = `${entity} ${id}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = { entity, id, row: (this.prepared(entity).select.get(id) as Row | undefined) ?? null, dirty: false };
      this.cache.set(key, entry);
    }
    return entry;
  }

  private write(entity: string, id: string, row: Row | null) {
    const entry = this.entry(entity, id);
    if (this.recorder) {
      const key = `${entity} ${id}`;
      if (!this.touched.has(key)) {
        this.touched.add(key);
        this.recorder(entity, id, entry.row);
      }
    }
    entry.row = row;
    entry.dirty = true;
  }

  load<K extends EntityName>(entity: K, id: string): Entities[K] | null {
    const { row } = this.entry(entity, id);
    return row ? (this.decode(this.model(entity), row) as unknown as Entities[K]) : null;
  }

  save<K extends EntityName>(entity: K, value: Entities[K]) {
    const model = this.model(entity);
    const record = value as unknown as Record<string, unknown>;
    const where = `${entity}[${String(record.id)}]`;
    const row: Row = {};
    for (const f of model.columns) row[f.name] = toColumn(f, record[f.name], where);
    if (model.immutable && this.entry(entity, row.id as string).row !== null) throw new Error(`${where} is immutable and already stored`);
    this.write(entity, row.id as string, row);
  }

  remove(entity: EntityName, id: string) {
    this.write(entity, id, null);
  }

  loadDerived<K extends EntityName, F extends keyof DerivedFields[K] & string>(entity: K, id: string, field: F): DerivedFields[K][F][] {
    this.flush();
    const model = this.model(entity);
    const key = `${entity}.${field}`;
    let statement = this.derivedStatements.get(key);
    const { entity: target, field: back } = derivedSource(this.schema, model.field.get(field)!);
    if (!statement) {
      const column = quote(back.name);
      statement = this.db.prepare(
        back.list
          ? `SELECT t.* FROM ${tableOf(target.name)} t WHERE EXISTS (SELECT 1 FROM json_each(t.${column}) WHERE value = ?) ORDER BY t."id"`
          : `SELECT * FROM ${tableOf(target.name)} WHERE ${column} = ? ORDER BY "id"`,
      );
      this.derivedStatements.set(key, statement);
    }
    return (statement.all(id) as Row[]).map((row) => this.decode(target, row) as unknown as DerivedFields[K][F]);
  }

  /** Puts a row back as the undo journal recorded it (null: the row did not exist). Bypasses the cache. */
  restore(entity: string, id: string, row: Row | null) {
    this.cache.delete(`${entity} ${id}`);
    if (row === null) {
      this.prepared(entity).remove.run(id);
      return;
    }
    this.prepared(entity).upsert.run(...this.model(entity).columns.map((f) => row[f.name]));
  }
}
