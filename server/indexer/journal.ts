// What the index has applied, kept in the same SQLite file as the entities and changed in the
// same transactions: the cursor (last indexed block), the data sources created so far (the
// factory's events), and, for the recent blocks a reorg may still replace, each block's hash and
// an undo log of the entity rows it changed.
import type { StatementSync } from "node:sqlite";

import type { Hex } from "viem";

import type { Database } from "../db.js";
import { createEntityTables, dropEntityTables, type EntityStore, type Row, type UndoRecorder } from "./store.js";

export interface BlockRef {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
}

export interface DataSource {
  template: string;
  address: Hex;
  /** Created by the log at (block, logIndex): logs of `address` after it belong to it. */
  block: bigint;
  logIndex: number;
}

/** Settings a stored index was built with; if any differs, the index starts over. */
export interface IndexIdentity {
  schemaHash: string;
  factory: string;
  /** The membership contract followed too, if any. */
  membership?: string;
  startBlock: bigint;
}

export class Journal {
  private readonly statements = new Map<string, StatementSync>();

  constructor(private readonly db: Database, private readonly store: EntityStore) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS index_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS index_blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, timestamp INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS index_undo (seq INTEGER PRIMARY KEY AUTOINCREMENT, block INTEGER NOT NULL, entity TEXT NOT NULL, id TEXT NOT NULL, row TEXT);
      CREATE INDEX IF NOT EXISTS index_undo_block ON index_undo (block);
      CREATE TABLE IF NOT EXISTS index_data_sources (address TEXT PRIMARY KEY, template TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL);
    `);
  }

  /** A prepared statement, kept: the cursor and the undo log are written for every block. */
  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  private get(key: string): string | undefined {
    return (this.sql("SELECT value FROM index_state WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  private set(key: string, value: string) {
    this.sql("INSERT INTO index_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** Creates the entity tables, first wiping a stored index built with other settings. */
  open(identity: IndexIdentity) {
    const wanted = JSON.stringify({ ...identity, factory: identity.factory.toLowerCase(), startBlock: identity.startBlock.toString() });
    if (this.get("identity") !== wanted) {
      this.wipe();
      this.set("identity", wanted);
    }
    createEntityTables(this.db, this.store.schema);
  }

  /** Drops every entity and all progress (the settings stay): the next sync indexes from the start block. */
  wipe() {
    dropEntityTables(this.db, this.store.schema);
    this.db.exec("DELETE FROM index_state WHERE key != 'identity'; DELETE FROM index_blocks; DELETE FROM index_undo; DELETE FROM index_data_sources;");
    createEntityTables(this.db, this.store.schema);
  }

  /** The last block whose logs are all applied; undefined before the first one. */
  cursor(): BlockRef | undefined {
    const value = this.get("cursor");
    if (!value) return undefined;
    const { number, hash, timestamp } = JSON.parse(value) as { number: string; hash: Hex; timestamp: string };
    return { number: BigInt(number), hash, timestamp: BigInt(timestamp) };
  }

  setCursor(block: BlockRef) {
    this.set("cursor", JSON.stringify({ number: block.number.toString(), hash: block.hash, timestamp: block.timestamp.toString() }));
  }

  dataSources(): DataSource[] {
    return (
      this.sql("SELECT address, template, block, log_index FROM index_data_sources").all() as {
        address: Hex;
        template: string;
        block: number;
        log_index: number;
      }[]
    ).map((r) => ({ address: r.address, template: r.template, block: BigInt(r.block), logIndex: r.log_index }));
  }

  addDataSource(source: DataSource) {
    this.sql("INSERT INTO index_data_sources (address, template, block, log_index) VALUES (?, ?, ?, ?) ON CONFLICT (address) DO NOTHING").run(
      source.address,
      source.template,
      Number(source.block),
      source.logIndex,
    );
  }

  /** The undo recorder for entity changes made while applying `block`. */
  recorder(block: bigint): UndoRecorder {
    const insert = this.sql("INSERT INTO index_undo (block, entity, id, row) VALUES (?, ?, ?, ?)");
    const number = Number(block);
    return (entity, id, before) => insert.run(number, entity, id, before === null ? null : JSON.stringify(before));
  }

  /** Remembers a journaled block's hash, for finding the common ancestor after a reorg. */
  recordBlock(block: BlockRef) {
    this.sql(
      "INSERT INTO index_blocks (number, hash, timestamp) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp",
    ).run(Number(block.number), block.hash, Number(block.timestamp));
  }

  /** The journaled blocks, newest first: each can be rolled back to. */
  recentBlocks(): BlockRef[] {
    return (this.sql("SELECT number, hash, timestamp FROM index_blocks ORDER BY number DESC").all() as { number: number; hash: Hex; timestamp: number }[]).map(
      (r) => ({
        number: BigInt(r.number),
        hash: r.hash,
        timestamp: BigInt(r.timestamp),
      }),
    );
  }

  /** Journaled blocks at or below `number` can no longer be reorganized: forget them. */
  prune(number: bigint) {
    const n = Number(number);
    this.sql("DELETE FROM index_blocks WHERE number <= ?").run(n);
    this.sql("DELETE FROM index_undo WHERE block <= ?").run(n);
  }

  /** Forgets every journaled block (a block was just indexed without a journal, so no older one can be rolled back to). */
  forgetRecentBlocks() {
    this.db.exec("DELETE FROM index_blocks; DELETE FROM index_undo;");
  }

  /** Undoes every change made after `ancestor` (a journaled block) and moves the cursor back to it. */
  rollbackTo(ancestor: BlockRef) {
    const n = Number(ancestor.number);
    const undo = this.sql("SELECT entity, id, row FROM index_undo WHERE block > ? ORDER BY seq DESC").all(n) as {
      entity: string;
      id: string;
      row: string | null;
    }[];
    for (const change of undo) this.store.restore(change.entity, change.id, change.row === null ? null : (JSON.parse(change.row) as Row));
    this.sql("DELETE FROM index_undo WHERE block > ?").run(n);
    this.sql("DELETE FROM index_blocks WHERE number > ?").run(n);
    this.sql("DELETE FROM index_data_sources WHERE block > ?").run(n);
    this.setCursor(ancestor);
  }
}
