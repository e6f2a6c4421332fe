// The admission ledger: one row per admitted ticket, shared by every gate of the venue through
// one SQLite file. The primary key makes admission atomic: of two gates scanning the same ticket
// at the same instant, exactly one INSERT adds a row. Token ids are stored as decimal text: exact
// for any uint256.
import type { Address, Hex } from "viem";

import type { FedAdmissions } from "../../lib/offline-admissions.js";
import { transaction, type Database } from "../db.js";

export interface BatchRow {
  id: number;
  event: Address;
  tokenIds: bigint[];
  state: "new" | "signed" | "confirmed" | "failed" | "dropped";
  /** When the writer saw the transaction mined (ms). */
  confirmedMs: number | null;
  nonce: number | null;
  rawTx: `0x${string}` | null;
  txHash: `0x${string}` | null;
  attempts: number;
  lastError: string | null;
}

/** How the door identified the ticket: its QR, its backup code, staff looking it up by hand, or a scanner while it was offline (uploaded later). */
export type AdmissionMethod = "qr" | "code" | "lookup" | "offline";

export class AdmissionLedger {
  private readonly insertAdmission;
  private readonly selectBatchByTx;
  /** Tickets this process admitted: repeat scans at this gate are refused without a query. */
  private readonly admittedHere = new Set<string>();

  constructor(readonly db: Database) {
    migrateIntegerTokenIds(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS gate_admissions (
        event TEXT NOT NULL,
        token_id TEXT NOT NULL,
        admitted_at INTEGER NOT NULL,
        admitted_ms INTEGER,
        staff TEXT NOT NULL,
        holder TEXT NOT NULL,
        batch_id INTEGER,
        PRIMARY KEY (event, token_id)
      );
      CREATE INDEX IF NOT EXISTS gate_admissions_pending ON gate_admissions (batch_id, event, admitted_at);
      -- The used-ticket feed's read (admittedSince): an event's rows in rowid order (an index holds
      -- the rowid), not every event's since the cursor, which a season's file would make long.
      CREATE INDEX IF NOT EXISTS gate_admissions_by_event ON gate_admissions (event);
      CREATE TABLE IF NOT EXISTS gate_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event TEXT NOT NULL,
        token_ids TEXT NOT NULL,
        state TEXT NOT NULL,
        nonce INTEGER,
        raw_tx TEXT,
        tx_hash TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        settled_at INTEGER,
        confirmed_ms INTEGER,
        block_number INTEGER
      );
      CREATE INDEX IF NOT EXISTS gate_batches_tx_hash ON gate_batches (tx_hash);
    `);
    // Added after the first release: older files get the column, their rows count as QR scans.
    const columns = db.prepare("PRAGMA table_info(gate_admissions)").all() as { name: string }[];
    if (!columns.some((c) => c.name === "method")) {
      try {
        db.exec("ALTER TABLE gate_admissions ADD COLUMN method TEXT NOT NULL DEFAULT 'qr'");
      } catch (error) {
        if (!/duplicate column/i.test((error as Error).message)) throw error; // another gate process added it first
      }
    }
    addAdmissionCounts(db);
    this.selectCounts = db.prepare("SELECT * FROM gate_admission_counts WHERE event = ?");
    this.selectBatchByTx = db.prepare("SELECT 1 FROM gate_batches WHERE tx_hash = ?");
    this.insertAdmission = db.prepare(
      "INSERT INTO gate_admissions (event, token_id, admitted_at, admitted_ms, staff, holder, method) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.selectAdmitted = db.prepare("SELECT 1 FROM gate_admissions WHERE event = ? AND token_id = ?");
    this.selectAdmittedJson = db.prepare("SELECT json_group_array(token_id) AS ids FROM gate_admissions WHERE event = ?");
    this.selectFeedCursor = db.prepare("SELECT COALESCE(MAX(rowid), 0) AS cursor FROM gate_admissions");
    this.selectAdmittedSince = db.prepare("SELECT rowid AS position, token_id, staff FROM gate_admissions WHERE event = ? AND rowid > ? ORDER BY rowid LIMIT ?");
  }

  private readonly selectAdmitted;
  private readonly selectAdmittedJson;
  private readonly selectFeedCursor;
  private readonly selectAdmittedSince;
  private readonly selectCounts;

  /** True if this call admitted the ticket; false if any gate admitted it before. */
  tryAdmit(event: Address, tokenId: bigint, staff: Address, holder: Address, now: number, method: AdmissionMethod = "qr"): boolean {
    const key = `${event.toLowerCase()}:${tokenId}`;
    if (this.admittedHere.has(key)) return false;
    const { changes } = this.insertAdmission.run(event.toLowerCase(), tokenId.toString(), now, Date.now(), staff, holder, method);
    this.admittedHere.add(key); // admitted now, or by another gate before: either way, used
    return changes === 1;
  }

  /**
   * The organizer undid the ticket's check-in on chain (in `block`): forget the admission that
   * check-in wrote, so any gate admits the ticket again. An admission not yet confirmed on chain
   * by then is a later one and stays.
   */
  forget(event: Address, tokenId: bigint, block: bigint) {
    const id = event.toLowerCase();
    this.db
      .prepare(
        `DELETE FROM gate_admissions WHERE event = ? AND token_id = ? AND batch_id IN
           (SELECT id FROM gate_batches WHERE state = 'confirmed' AND block_number <= ?)`,
      )
      .run(id, tokenId.toString(), Number(block));
    if (!this.isAdmitted(event, tokenId)) this.admittedHere.delete(`${id}:${tokenId}`);
  }

  /** Whether this process has seen the ticket admitted (other gates' admissions show at tryAdmit). */
  admittedByThisGate(event: Address, tokenId: bigint): boolean {
    return this.admittedHere.has(`${event.toLowerCase()}:${tokenId}`);
  }

  /** Whether `hash` is the transaction of one of the ledger's check-in batches (any gate's). */
  isOwnTransaction(hash: Hex): boolean {
    return this.selectBatchByTx.get(hash.toLowerCase()) !== undefined;
  }

  isAdmitted(event: Address, tokenId: bigint): boolean {
    return this.selectAdmitted.get(event.toLowerCase(), tokenId.toString()) !== undefined;
  }

  /** Of `tokenIds`, those any gate has admitted at this event. */
  admittedAmong(event: Address, tokenIds: bigint[]): bigint[] {
    const id = event.toLowerCase();
    return tokenIds.filter((tokenId) => this.selectAdmitted.get(id, tokenId.toString()) !== undefined);
  }

  /**
   * Token ids of every ticket admitted at this event, by any gate: a JSON array of decimal strings,
   * made by SQLite itself. For 40,000 admissions that took 5-7 ms; reading them as rows, 37-127 ms
   * (an object per row) and 15-49 ms more to make them bigints.
   */
  admittedTokenIdsJson(event: Address): string {
    return (this.selectAdmittedJson.get(event.toLowerCase()) as { ids: string }).ids;
  }

  /**
   * Where the used-ticket feed (admittedSince) stands: the newest admission's rowid. One write
   * transaction at a time takes the next rowid (the largest plus one), so rowids follow the order
   * the admissions were committed in, and every admission at or below the cursor is committed
   * when it is read. (A forget of the newest admission frees its rowid for the next one, which a
   * device past it then misses until its next full copy: the bound it had without the feed.)
   */
  usedFeedCursor(): string {
    return String((this.selectFeedCursor.get() as { cursor: number }).cursor);
  }

  /** The event's admissions after `cursor` (usedFeedCursor's), at most `limit`; undefined when there are more. */
  admittedSince(event: Address, cursor: bigint, limit: number): FedAdmissions | undefined {
    const rows = this.selectAdmittedSince.all(event.toLowerCase(), cursor, limit + 1) as { position: number; token_id: string; staff: string }[];
    if (rows.length > limit) return undefined;
    if (rows.length) return { cursor: String(rows.at(-1)!.position), admissions: rows.map((r) => ({ tokenId: r.token_id, staff: r.staff })) };
    // None: not past the newest admission (a cursor from a replaced file, or a rowid freed by a forget, comes back down).
    const newest = BigInt(this.usedFeedCursor());
    return { cursor: (cursor < newest ? cursor : newest).toString(), admissions: [] };
  }

  /** The events with an admission at or after `since` (unix seconds), by any gate. */
  eventsAdmittedSince(since: number): Address[] {
    const rows = this.db.prepare("SELECT DISTINCT event FROM gate_admissions WHERE admitted_at >= ?").all(since) as { event: Address }[];
    return rows.map((r) => r.event);
  }

  /** Milliseconds from each admission to the writer seeing its checkIn mined (confirmed batches). */
  admissionToChainMs(): number[] {
    const rows = this.db
      .prepare(
        `SELECT b.confirmed_ms - a.admitted_ms AS ms FROM gate_admissions a JOIN gate_batches b ON b.id = a.batch_id
         WHERE b.state = 'confirmed' AND b.confirmed_ms IS NOT NULL AND a.admitted_ms IS NOT NULL`,
      )
      .all() as { ms: number }[];
    return rows.map((r) => r.ms);
  }

  /** The event's counts, kept by triggers as admissions and batches change (addAdmissionCounts). */
  counts(event: Address) {
    return countsOfKept(this.selectCounts.get(event.toLowerCase()) as KeptCounts | undefined);
  }

  // ---------------------------------------------------------------- batches (for the writer)

  /** Admissions not yet in a batch, counted up to `atMost` (-1: all). */
  unwritten(atMost = -1): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM (SELECT 1 FROM gate_admissions WHERE batch_id IS NULL LIMIT ?)").get(atMost) as { n: number }).n;
  }

  /** The batch in flight (created or signed, not yet settled), if any. */
  openBatch(): BatchRow | undefined {
    const row = this.db.prepare("SELECT * FROM gate_batches WHERE state IN ('new', 'signed') ORDER BY id LIMIT 1").get();
    return row ? toBatch(row as Record<string, unknown>) : undefined;
  }

  /**
   * Puts up to `size` unwritten admissions of the event with the oldest one into a new batch, in
   * one write transaction: two writer processes on one file never batch the same admission.
   */
  createBatch(size: number, now: number): BatchRow | undefined {
    return transaction(this.db, () => this.createBatchUnlocked(size, now));
  }

  private createBatchUnlocked(size: number, now: number): BatchRow | undefined {
    const oldest = this.db
      .prepare("SELECT event FROM gate_admissions WHERE batch_id IS NULL ORDER BY admitted_at, token_id LIMIT 1")
      .get() as { event: string } | undefined;
    if (!oldest) return undefined;
    const tokens = this.db
      .prepare("SELECT token_id FROM gate_admissions WHERE batch_id IS NULL AND event = ? ORDER BY admitted_at, token_id LIMIT ?")
      .all(oldest.event, size) as { token_id: string }[];
    const ids = tokens.map((t) => t.token_id);
    if (ids.length === 0) return undefined;
    const { lastInsertRowid } = this.db
      .prepare("INSERT INTO gate_batches (event, token_ids, state, created_at) VALUES (?, ?, 'new', ?)")
      .run(oldest.event, JSON.stringify(ids), now);
    const placeholders = ids.map(() => "?").join(",");
    this.db
      .prepare(`UPDATE gate_admissions SET batch_id = ? WHERE event = ? AND token_id IN (${placeholders})`)
      .run(Number(lastInsertRowid), oldest.event, ...ids);
    return this.batch(Number(lastInsertRowid));
  }

  batch(id: number): BatchRow | undefined {
    const row = this.db.prepare("SELECT * FROM gate_batches WHERE id = ?").get(id);
    return row ? toBatch(row as Record<string, unknown>) : undefined;
  }

  /** Write-ahead: the signed transaction is stored before it is ever broadcast. */
  recordSigned(id: number, nonce: number, rawTx: `0x${string}`, txHash: `0x${string}`) {
    this.db.prepare("UPDATE gate_batches SET state = 'signed', nonce = ?, raw_tx = ?, tx_hash = ? WHERE id = ?").run(nonce, rawTx, txHash, id);
  }

  recordAttempt(id: number, error?: string) {
    this.db.prepare("UPDATE gate_batches SET attempts = attempts + 1, last_error = ? WHERE id = ?").run(error ?? null, id);
  }

  settle(id: number, state: "confirmed" | "failed", now: number, blockNumber?: bigint, error?: string) {
    this.db
      .prepare("UPDATE gate_batches SET state = ?, settled_at = ?, confirmed_ms = ?, block_number = ?, last_error = COALESCE(?, last_error) WHERE id = ?")
      .run(state, now, state === "confirmed" ? Date.now() : null, blockNumber === undefined ? null : Number(blockNumber), error ?? null, id);
  }

  /** The transaction never made it on chain: its admissions go back into the queue. */
  drop(id: number, now: number, reason: string) {
    transaction(this.db, () => {
      this.db.prepare("UPDATE gate_batches SET state = 'dropped', settled_at = ?, last_error = ? WHERE id = ?").run(now, reason, id);
      this.db.prepare("UPDATE gate_admissions SET batch_id = NULL WHERE batch_id = ?").run(id);
    });
  }

  batches(): BatchRow[] {
    return (this.db.prepare("SELECT * FROM gate_batches ORDER BY id").all() as Record<string, unknown>[]).map(toBatch);
  }
}

function toBatch(row: Record<string, unknown>): BatchRow {
  return {
    id: Number(row.id),
    event: row.event as Address,
    tokenIds: (JSON.parse(row.token_ids as string) as (string | number)[]).map((id) => BigInt(id)),
    state: row.state as BatchRow["state"],
    confirmedMs: row.confirmed_ms === null || row.confirmed_ms === undefined ? null : Number(row.confirmed_ms),
    nonce: row.nonce === null ? null : Number(row.nonce),
    rawTx: row.raw_tx as BatchRow["rawTx"],
    txHash: row.tx_hash as BatchRow["txHash"],
    attempts: Number(row.attempts),
    lastError: row.last_error as string | null,
  };
}

type KeptCounts = Partial<Record<"admitted" | "sending" | "confirmed" | "failed" | "by_code" | "by_lookup" | "by_offline", number | string | null>>;

/**
 * An event's kept counts (`gate_admission_counts`: SQLite's row, or PostgreSQL's sums over the
 * shards, as text; none for an event without admissions) as the gate's status gives them.
 */
export function countsOfKept(row: KeptCounts = {}) {
  const count = (value: number | string | null | undefined) => Number(value ?? 0);
  const [admitted, sending, confirmed, failed] = [count(row.admitted), count(row.sending), count(row.confirmed), count(row.failed)];
  return {
    admitted,
    // Not in a batch, or in one not yet sent or dropped.
    pendingOnChain: admitted - sending - confirmed - failed,
    sending,
    confirmedOnChain: confirmed,
    failedOnChain: failed,
    // Admissions without the QR: door managers watch these (a backup code, staff looking a ticket up).
    byBackupCode: count(row.by_code),
    byLookup: count(row.by_lookup),
    // Admitted on a scanner without its link (uploaded since): checked against that device's
    // last snapshot, not the chain's latest state.
    byOfflineDevice: count(row.by_offline),
  };
}

/**
 * One admission, the trigger's NEW or OLD row, added to (1) or taken from (-1) its event's counts,
 * under its batch's state.
 */
const countAdmission = (row: "NEW" | "OLD", sign: 1 | -1) => `
  INSERT INTO gate_admission_counts (event, admitted, by_code, by_lookup, by_offline, sending, confirmed, failed)
  SELECT ${row}.event, ${sign}, ${sign} * (${row}.method = 'code'), ${sign} * (${row}.method = 'lookup'), ${sign} * (${row}.method = 'offline'),
         ${sign} * IFNULL(s.state = 'signed', 0), ${sign} * IFNULL(s.state = 'confirmed', 0), ${sign} * IFNULL(s.state = 'failed', 0)
  FROM (SELECT (SELECT state FROM gate_batches WHERE id = ${row}.batch_id) AS state) AS s WHERE true
  ON CONFLICT (event) DO UPDATE SET admitted = admitted + excluded.admitted, by_code = by_code + excluded.by_code,
    by_lookup = by_lookup + excluded.by_lookup, by_offline = by_offline + excluded.by_offline, sending = sending + excluded.sending,
    confirmed = confirmed + excluded.confirmed, failed = failed + excluded.failed;`;
/** How many of the batch's admissions move into (1) or out of (-1) `state`'s count as the batch changes state. */
const moved = (state: string) => `(SELECT COUNT(*) FROM gate_admissions WHERE batch_id = NEW.id) * ((NEW.state = '${state}') - (OLD.state = '${state}'))`;

/**
 * The gate status's counts of each event, kept by triggers as the ledger changes rather than
 * counted at every status request (every scanner asks after each admission and every 5 s), as on
 * PostgreSQL (migration 0006). A file made before them gets the table, its triggers and the counts
 * of its rows in one write transaction: no other process writes meanwhile.
 */
function addAdmissionCounts(db: Database) {
  const exists = () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gate_admission_counts'").get() !== undefined;
  if (exists()) return;
  transaction(db, () => {
    if (exists()) return; // another gate process made them first
    db.exec(`
      CREATE TABLE gate_admission_counts (
        event TEXT PRIMARY KEY,
        admitted INTEGER NOT NULL DEFAULT 0,
        by_code INTEGER NOT NULL DEFAULT 0,
        by_lookup INTEGER NOT NULL DEFAULT 0,
        by_offline INTEGER NOT NULL DEFAULT 0,
        sending INTEGER NOT NULL DEFAULT 0,
        confirmed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
      );
      CREATE TRIGGER gate_admissions_counted_insert AFTER INSERT ON gate_admissions BEGIN ${countAdmission("NEW", 1)} END;
      CREATE TRIGGER gate_admissions_counted_delete AFTER DELETE ON gate_admissions BEGIN ${countAdmission("OLD", -1)} END;
      CREATE TRIGGER gate_admissions_counted_update AFTER UPDATE OF event, method, batch_id ON gate_admissions BEGIN
        ${countAdmission("OLD", -1)} ${countAdmission("NEW", 1)}
      END;
      CREATE TRIGGER gate_batch_state_counted AFTER UPDATE OF state ON gate_batches WHEN OLD.state IS NOT NEW.state BEGIN
        UPDATE gate_admission_counts SET sending = sending + ${moved("signed")}, confirmed = confirmed + ${moved("confirmed")},
          failed = failed + ${moved("failed")}
        WHERE event = NEW.event;
      END;
      INSERT INTO gate_admission_counts (event, admitted, by_code, by_lookup, by_offline, sending, confirmed, failed)
        SELECT a.event, COUNT(*), SUM(a.method = 'code'), SUM(a.method = 'lookup'), SUM(a.method = 'offline'),
               SUM(IFNULL(b.state = 'signed', 0)), SUM(IFNULL(b.state = 'confirmed', 0)), SUM(IFNULL(b.state = 'failed', 0))
        FROM gate_admissions a LEFT JOIN gate_batches b ON b.id = a.batch_id
        GROUP BY a.event;
    `);
  });
}

/**
 * Ledgers written before token ids were text (INTEGER token_id, JSON arrays of numbers) are
 * converted in place, once.
 */
function migrateIntegerTokenIds(db: Database) {
  const columns = db.prepare("PRAGMA table_info(gate_admissions)").all() as { name: string; type: string }[];
  const tokenColumn = columns.find((c) => c.name === "token_id");
  if (!tokenColumn || tokenColumn.type.toUpperCase() === "TEXT") return;
  transaction(db, () => {
    db.exec(`
      ALTER TABLE gate_admissions RENAME TO gate_admissions_v1;
      CREATE TABLE gate_admissions (
        event TEXT NOT NULL, token_id TEXT NOT NULL, admitted_at INTEGER NOT NULL, admitted_ms INTEGER,
        staff TEXT NOT NULL, holder TEXT NOT NULL, batch_id INTEGER, PRIMARY KEY (event, token_id)
      );
      INSERT INTO gate_admissions (event, token_id, admitted_at, staff, holder, batch_id)
        SELECT event, CAST(token_id AS TEXT), admitted_at, staff, holder, batch_id FROM gate_admissions_v1;
      DROP TABLE gate_admissions_v1;
      DROP INDEX IF EXISTS gate_admissions_pending;
    `);
    const batches = db.prepare("PRAGMA table_info(gate_batches)").all() as { name: string }[];
    if (batches.length && !batches.some((c) => c.name === "confirmed_ms")) db.exec("ALTER TABLE gate_batches ADD COLUMN confirmed_ms INTEGER");
    const update = db.prepare("UPDATE gate_batches SET token_ids = ? WHERE id = ?");
    for (const row of db.prepare("SELECT id, token_ids FROM gate_batches").all() as { id: number; token_ids: string }[]) {
      update.run(JSON.stringify((JSON.parse(row.token_ids) as (number | string)[]).map(String)), row.id);
    }
  });
}
