// The admission ledger in PostgreSQL: what ledger.ts keeps in one SQLite file, shared by gate
// servers on several machines (DATABASE_URL). The same rule holds: the primary key (event,
// token_id) makes admission atomic, so of any number of gates scanning one ticket at once, on any
// number of machines, exactly one INSERT adds the row. Token ids are NUMERIC(78, 0): exact for any
// uint256, and sent and read as decimal text (pg would read a numeric array as floats: the batch's
// ids are read back as text[]).
//
// The tables come from server/migrations (applied at open, server/pg.ts). The API is
// AdmissionLedger's as promises (AsyncAdmissionLedger), which the gate service uses.
import type { Address, Hex } from "viem";

import type { FedAdmissions } from "../../lib/offline-admissions.js";
import { openMigratedPool, transaction, type Pool, type PoolOptions } from "../pg.js";
import type { AdmissionCounts, AsyncAdmissionLedger } from "./async-ledger.js";
import { countsOfKept, type AdmissionMethod, type BatchRow } from "./ledger.js";
import { LeaseLost, type Fence } from "./writer-lease.js";

/** Admission inserts one gate process has in flight at most; more admissions wait for the next. */
const ADMIT_STATEMENTS_IN_FLIGHT = 2;
/** Admissions one insert carries at most. */
const ADMIT_ROWS_MAX = 256;

interface WaitingAdmission {
  key: string;
  event: string;
  tokenId: bigint;
  staff: Address;
  holder: Address;
  now: number;
  ms: number;
  method: AdmissionMethod;
  resolve(admitted: boolean): void;
  reject(error: Error): void;
}

const BATCH_COLUMNS = "id, event, token_ids::text[] AS token_ids, state, nonce, raw_tx, tx_hash, attempts, last_error, confirmed_ms";

/** A PostgreSQL error caused by a row's values: SQLSTATE class 22 (data exception) or 23 (constraint). */
function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Opens a pool on `url`, applies the migrations, and returns the ledger (which owns the pool). */
export async function openPgLedger(url: string, options: PoolOptions = {}): Promise<PgAdmissionLedger> {
  const pool = await openMigratedPool(url, options);
  return new PgAdmissionLedger(pool, { ownsPool: true });
}

export class PgAdmissionLedger implements AsyncAdmissionLedger {
  /** Tickets this process admitted: repeat scans at this gate are refused without a query. */
  private readonly admittedHere = new Set<string>();
  /** Admissions waiting for an insert; by ticket, the answer of each one waiting or in flight. */
  private readonly waiting: WaitingAdmission[] = [];
  private readonly admitting = new Map<string, Promise<boolean>>();
  private admitStatements = 0;
  private readonly ownsPool: boolean;
  /**
   * The writer's lease (writer-lease.ts), when it writes under one: every batch change then runs
   * in a transaction that first locks the lease row and checks the token is still this writer's,
   * so a takeover waits for it, and a writer that lost the lease writes nothing (LeaseLost).
   */
  fence?: Fence;

  /** On a pool whose database is migrated (openPgLedger does both). */
  constructor(
    readonly pool: Pool,
    options: { ownsPool?: boolean } = {},
  ) {
    this.ownsPool = options.ownsPool ?? false;
  }

  /** Runs a batch change: under the fence if there is one (one transaction), else as is. */
  private async fenced<T>(work: (db: Pick<Pool, "query">) => Promise<T>): Promise<T> {
    const fence = this.fence;
    if (!fence) return transaction(this.pool, work);
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<{ holder: string; token: string }>("SELECT holder, token::text AS token FROM gate_writer_lease WHERE scope = $1 FOR SHARE", [fence.scope]);
      if (rows[0]?.holder !== fence.holder || rows[0]?.token !== fence.token.toString()) throw new LeaseLost(fence.scope);
      return work(client);
    });
  }

  /**
   * Of any number of gates admitting one ticket at once, exactly one gets true: the primary key
   * admits it once. Admissions arriving while ADMIT_STATEMENTS_IN_FLIGHT inserts are in flight
   * wait and go together in the next one (one statement of many rows costs PostgreSQL and this
   * process far less than one a row), so a busy door sends fewer, larger inserts and a quiet one
   * sends each at once.
   */
  tryAdmit(event: Address, tokenId: bigint, staff: Address, holder: Address, now: number, method: AdmissionMethod = "qr"): Promise<boolean> {
    const key = `${event.toLowerCase()}:${tokenId}`;
    if (this.admittedHere.has(key)) return Promise.resolve(false);
    // The same ticket twice before its insert is answered: the first one's answer decides it.
    const earlier = this.admitting.get(key);
    if (earlier) return earlier.then(() => false);
    const answer = new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ key, event: event.toLowerCase(), tokenId, staff, holder, now, ms: Date.now(), method, resolve, reject });
    });
    this.admitting.set(key, answer);
    this.sendAdmissions();
    return answer;
  }

  private sendAdmissions() {
    while (this.admitStatements < ADMIT_STATEMENTS_IN_FLIGHT && this.waiting.length > 0) {
      // In one order at every gate (by key): two statements inserting the same tickets from two
      // gates then never wait for each other both ways (no deadlock).
      const rows = this.waiting.splice(0, ADMIT_ROWS_MAX).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.admitStatements++;
      void this.insertAdmissions(rows).finally(() => {
        this.admitStatements--;
        this.sendAdmissions();
      });
    }
  }

  private async insertAdmissions(rows: WaitingAdmission[]) {
    try {
      // A named statement: each connection parses and plans it once, not at every insert.
      const { rows: inserted } = await this.pool.query<{ event: string; token_id: string }>({
        name: "gate-admit-rows",
        text: `INSERT INTO gate_admissions (event, token_id, admitted_at, admitted_ms, staff, holder, method)
         SELECT r.event, r.token_id, r.admitted_at, r.admitted_ms, r.staff, r.holder, r.method
         FROM unnest($1::text[], $2::numeric[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[])
           WITH ORDINALITY AS r (event, token_id, admitted_at, admitted_ms, staff, holder, method, n)
         ORDER BY r.n
         ON CONFLICT DO NOTHING RETURNING event, token_id::text AS token_id`,
        values: [
          rows.map((r) => r.event),
          rows.map((r) => r.tokenId.toString()),
          rows.map((r) => r.now),
          rows.map((r) => r.ms),
          rows.map((r) => r.staff),
          rows.map((r) => r.holder),
          rows.map((r) => r.method),
        ],
      });
      const admitted = new Set(inserted.map((r) => `${r.event}:${r.token_id}`));
      for (const row of rows) {
        this.admittedHere.add(row.key); // admitted now, or by another gate before: either way, used
        this.admitting.delete(row.key);
        row.resolve(admitted.has(row.key));
      }
    } catch (error) {
      // One bad row (a data or constraint error) fails its whole statement: the others must not
      // fail with it, so each goes again alone. Any other failure (the database unreachable, the
      // statement cancelled) is every row's: sending each again would only multiply the load on a
      // database already failing, and delay the answers.
      if (rows.length > 1 && isRowError(error)) return void (await Promise.all(rows.map((row) => this.insertAdmissions([row]))));
      for (const row of rows) {
        this.admitting.delete(row.key);
        row.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /**
   * The organizer undid the ticket's check-in on chain (in `block`): forget the admission that
   * check-in wrote, so any gate admits the ticket again. An admission not yet confirmed on chain
   * by then is a later one and stays.
   */
  async forget(event: Address, tokenId: bigint, block: bigint): Promise<void> {
    const id = event.toLowerCase();
    await this.pool.query(
      `DELETE FROM gate_admissions WHERE event = $1 AND token_id = $2 AND batch_id IN
         (SELECT id FROM gate_batches WHERE state = 'confirmed' AND block_number <= $3)`,
      [id, tokenId.toString(), block.toString()],
    );
    if (!(await this.isAdmitted(event, tokenId))) this.admittedHere.delete(`${id}:${tokenId}`);
  }

  admittedByThisGate(event: Address, tokenId: bigint): boolean {
    return this.admittedHere.has(`${event.toLowerCase()}:${tokenId}`);
  }

  async isOwnTransaction(hash: Hex): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM gate_batches WHERE tx_hash = $1 LIMIT 1", [hash.toLowerCase()]);
    return rowCount === 1;
  }

  async isAdmitted(event: Address, tokenId: bigint): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM gate_admissions WHERE event = $1 AND token_id = $2", [event.toLowerCase(), tokenId.toString()]);
    return rowCount === 1;
  }

  async admittedAmong(event: Address, tokenIds: bigint[]): Promise<bigint[]> {
    if (tokenIds.length === 0) return [];
    const { rows } = await this.pool.query<{ token_id: string }>(
      "SELECT token_id::text AS token_id FROM gate_admissions WHERE event = $1 AND token_id = ANY($2::numeric[])",
      [event.toLowerCase(), tokenIds.map(String)],
    );
    const admitted = new Set(rows.map((r) => r.token_id));
    return tokenIds.filter((tokenId) => admitted.has(tokenId.toString()));
  }

  async admittedTokenIdsJson(event: Address): Promise<string> {
    const { rows } = await this.pool.query<{ ids: string }>("SELECT COALESCE(json_agg(token_id::text), '[]')::text AS ids FROM gate_admissions WHERE event = $1", [
      event.toLowerCase(),
    ]);
    return rows[0].ids;
  }

  /**
   * Where the used-ticket feed (admittedSince) stands: the oldest transaction still running (its
   * snapshot's xmin), below which every admission has either committed or never will.
   */
  async usedFeedCursor(): Promise<string> {
    const { rows } = await this.pool.query<{ cursor: string }>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS cursor");
    return rows[0].cursor;
  }

  /**
   * The event's admissions by transactions from `cursor` (usedFeedCursor's, or a previous
   * answer's) up to this statement's xmin, at most `limit`; undefined when there are more. The
   * xmin is the next cursor: an admission whose transaction is still running is at or above it,
   * so the next call returns it, however long that transaction takes to commit (migration 0007).
   */
  async admittedSince(event: Address, cursor: bigint, limit: number): Promise<FedAdmissions | undefined> {
    const { rows } = await this.pool.query<{ horizon: string; token_id: string | null; staff: string | null }>({
      name: "gate-admitted-since",
      text: `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
             SELECT h.xmin::text AS horizon, a.token_id::text AS token_id, a.staff FROM h LEFT JOIN LATERAL
               (SELECT token_id, staff FROM gate_admissions WHERE event = $1 AND admitted_xid >= $2::text::xid8 AND admitted_xid < h.xmin LIMIT $3) a ON true`,
      values: [event.toLowerCase(), cursor.toString(), limit + 1],
    });
    const admissions = rows.flatMap((r) => (r.token_id === null ? [] : [{ tokenId: r.token_id, staff: r.staff! }]));
    if (admissions.length > limit) return undefined;
    // Also for a cursor from elsewhere ahead of this ledger (a database replaced): from here on.
    return { cursor: rows[0].horizon, admissions };
  }

  async eventsAdmittedSince(since: number): Promise<Address[]> {
    const { rows } = await this.pool.query<{ event: Address }>("SELECT DISTINCT event FROM gate_admissions WHERE admitted_at >= $1", [since]);
    return rows.map((r) => r.event);
  }

  async admissionToChainMs(): Promise<number[]> {
    const { rows } = await this.pool.query<{ ms: string }>(
      `SELECT b.confirmed_ms - a.admitted_ms AS ms FROM gate_admissions a JOIN gate_batches b ON b.id = a.batch_id
       WHERE b.state = 'confirmed' AND b.confirmed_ms IS NOT NULL AND a.admitted_ms IS NOT NULL`,
    );
    return rows.map((r) => Number(r.ms));
  }

  /** The event's counts: the sum of its shards, kept by triggers as the ledger changes (migration 0006). */
  async counts(event: Address): Promise<AdmissionCounts> {
    const { rows } = await this.pool.query<Record<string, string | null>>({
      name: "gate-counts",
      text: `SELECT SUM(admitted) AS admitted, SUM(sending) AS sending, SUM(confirmed) AS confirmed, SUM(failed) AS failed,
                    SUM(by_code) AS by_code, SUM(by_lookup) AS by_lookup, SUM(by_offline) AS by_offline
             FROM gate_admission_counts WHERE event = $1`,
      values: [event.toLowerCase()],
    });
    return countsOfKept(rows[0]);
  }

  // ---------------------------------------------------------------- batches (for the writer)

  /** Counted up to `atMost`: with 100,000 waiting (the chain out of reach for a while), counting them all took 8 ms at each batch, as long as making one; up to 250, 2 ms. */
  async unwritten(atMost?: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM (SELECT 1 FROM gate_admissions WHERE batch_id IS NULL LIMIT $1) AS w", [atMost ?? null]);
    return Number(rows[0].n);
  }

  async openBatch(): Promise<BatchRow | undefined> {
    const { rows } = await this.pool.query(`SELECT ${BATCH_COLUMNS} FROM gate_batches WHERE state IN ('new', 'signed') ORDER BY id LIMIT 1`);
    return rows[0] ? toBatch(rows[0] as Record<string, unknown>) : undefined;
  }

  /**
   * Puts up to `size` unwritten admissions of the event with the oldest one into a new batch, in
   * one transaction. The admissions are locked as they are chosen (FOR UPDATE SKIP LOCKED): a
   * second writer at the same moment passes over them (and takes others, or none), and one that
   * comes after the commit no longer sees them as unwritten. No admission is ever in two batches.
   */
  async createBatch(size: number, now: number): Promise<BatchRow | undefined> {
    return this.fenced(async (client) => {
      // Every statement here reads a few hundred rows by index or address, whatever the planner's
      // statistics say: they lag a filling table (a door opening, a queue grown while the chain
      // was out of reach; autovacuum analyzes a minute later), and with them the planner chose to
      // read every waiting admission of the event, sort them all, and match each against the
      // batch's ids: 48 ms a batch at 100,000 waiting, 7 ms with these plans (migration 0008).
      await client.query("SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off");
      const oldest = await client.query<{ event: string }>(
        "SELECT event FROM gate_admissions WHERE batch_id IS NULL ORDER BY admitted_at, token_id LIMIT 1 FOR UPDATE SKIP LOCKED",
      );
      if (oldest.rows.length === 0) return undefined;
      const event = oldest.rows[0].event;
      const tokens = await client.query<{ token_id: string; tid: string }>(
        `SELECT token_id::text AS token_id, ctid::text AS tid FROM gate_admissions WHERE batch_id IS NULL AND event = $1
         ORDER BY admitted_at, gate_admissions.token_id LIMIT $2 FOR UPDATE SKIP LOCKED`, // the column: the alias is text (10 before 2)
        [event, size],
      );
      const ids = tokens.rows.map((t) => t.token_id);
      if (ids.length === 0) return undefined;
      const inserted = await client.query<Record<string, unknown>>(
        `INSERT INTO gate_batches (event, token_ids, state, created_at) VALUES ($1, $2::numeric[], 'new', $3) RETURNING ${BATCH_COLUMNS}`,
        [event, ids, now],
      );
      // By the rows' addresses (a TID scan): locked by this transaction, none of them has moved.
      await client.query("UPDATE gate_admissions SET batch_id = $1 WHERE ctid = ANY($2::tid[])", [inserted.rows[0].id, tokens.rows.map((t) => t.tid)]);
      return toBatch(inserted.rows[0]);
    });
  }

  async batch(id: number): Promise<BatchRow | undefined> {
    const { rows } = await this.pool.query(`SELECT ${BATCH_COLUMNS} FROM gate_batches WHERE id = $1`, [id]);
    return rows[0] ? toBatch(rows[0] as Record<string, unknown>) : undefined;
  }

  async recordSigned(id: number, nonce: number, rawTx: `0x${string}`, txHash: `0x${string}`): Promise<void> {
    await this.fenced((db) => db.query("UPDATE gate_batches SET state = 'signed', nonce = $1, raw_tx = $2, tx_hash = $3 WHERE id = $4", [nonce, rawTx, txHash, id]));
  }

  async recordAttempt(id: number, error?: string): Promise<void> {
    await this.fenced((db) => db.query("UPDATE gate_batches SET attempts = attempts + 1, last_error = $1 WHERE id = $2", [error ?? null, id]));
  }

  async settle(id: number, state: "confirmed" | "failed", now: number, blockNumber?: bigint, error?: string): Promise<void> {
    await this.fenced((db) =>
      db.query("UPDATE gate_batches SET state = $1, settled_at = $2, confirmed_ms = $3, block_number = $4, last_error = COALESCE($5, last_error) WHERE id = $6", [
        state,
        now,
        state === "confirmed" ? Date.now() : null,
        blockNumber === undefined ? null : blockNumber.toString(),
        error ?? null,
        id,
      ]),
    );
  }

  async drop(id: number, now: number, reason: string): Promise<void> {
    await this.fenced(async (client) => {
      await client.query("UPDATE gate_batches SET state = 'dropped', settled_at = $1, last_error = $2 WHERE id = $3", [now, reason, id]);
      await client.query("UPDATE gate_admissions SET batch_id = NULL WHERE batch_id = $1", [id]);
    });
  }

  async batches(): Promise<BatchRow[]> {
    const { rows } = await this.pool.query(`SELECT ${BATCH_COLUMNS} FROM gate_batches ORDER BY id`);
    return (rows as Record<string, unknown>[]).map(toBatch);
  }

  /** Ends the pool if the ledger opened it (openPgLedger); a pool handed in stays its owner's. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

// BIGINT comes back as decimal text (pg keeps int8 exact): every number here is far below 2^53.
const optionalNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toBatch(row: Record<string, unknown>): BatchRow {
  return {
    id: Number(row.id),
    event: row.event as Address,
    tokenIds: (row.token_ids as string[]).map((id) => BigInt(id)),
    state: row.state as BatchRow["state"],
    confirmedMs: optionalNumber(row.confirmed_ms),
    nonce: optionalNumber(row.nonce),
    rawTx: row.raw_tx as BatchRow["rawTx"],
    txHash: row.tx_hash as BatchRow["txHash"],
    attempts: Number(row.attempts),
    lastError: row.last_error as string | null,
  };
}
