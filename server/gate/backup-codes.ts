// Backup codes (lib/pass/backup-code.ts): the secrets the gate gave phones that registered their
// pass, in the database every gate of the venue shares, and the door's check of a typed code.
// A code is six digits: each ticket allows MAX_FAILURES wrong codes per FAILURE_WINDOW_MS, counted
// over every gate server of the venue, before its codes are refused for that long (the QR still
// works), so guessing one takes years, not minutes.
import { randomBytes, timingSafeEqual } from "node:crypto";

import { getAddress, type Address, type Hex } from "viem";

import { backupCodeDigits, backupStep, type Pass } from "../../lib/pass/index.js";
import type { Database } from "../db.js";
import type { SharedSql } from "../shared-sql.js";

/** Pass keys kept per ticket (phones that registered it); older registrations make way. */
const KEYS_PER_TICKET = 4;
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;

export interface Registration {
  /** What a QR of this phone would carry, without its frame. */
  pass: Omit<Pass, "timestamp" | "frameSignature">;
  secret: Uint8Array;
}

export type CodeCheck = { ok: true; registration: Registration } | { ok: false; reason: "no-backup-code" | "bad-backup-code" | "backup-code-locked"; retryAt?: number };

/** The SQLite tables (PostgreSQL's are made by migration 0005). */
export function createBackupCodeTables(db: Database) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS gate_backup_codes (
      event TEXT NOT NULL,
      token_id TEXT NOT NULL,
      pass_key TEXT NOT NULL,
      chain_id TEXT NOT NULL,
      delegation_token_id TEXT NOT NULL,
      valid_until INTEGER NOT NULL,
      holder TEXT NOT NULL,
      wallet_signature TEXT NOT NULL,
      secret BLOB NOT NULL,
      registered_at INTEGER NOT NULL,
      PRIMARY KEY (event, token_id, pass_key)
    );
    CREATE TABLE IF NOT EXISTS gate_backup_code_failures (
      event TEXT NOT NULL,
      token_id TEXT NOT NULL,
      failures INTEGER NOT NULL,
      since INTEGER NOT NULL,
      PRIMARY KEY (event, token_id)
    );
  `);
}

// The same phone registering again (a reload, a renewed delegation) keeps its secret, so the
// code it shows does not change under the holder's eyes.
const UPSERT = `
  INSERT INTO gate_backup_codes (event, token_id, pass_key, chain_id, delegation_token_id, valid_until, holder, wallet_signature, secret, registered_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (event, token_id, pass_key) DO UPDATE SET chain_id = excluded.chain_id, delegation_token_id = excluded.delegation_token_id,
    valid_until = excluded.valid_until, holder = excluded.holder, wallet_signature = excluded.wallet_signature, registered_at = excluded.registered_at`;
const SELECT_SECRET = "SELECT secret FROM gate_backup_codes WHERE event = ? AND token_id = ? AND pass_key = ?";
const SELECT_FOR_TICKET = "SELECT * FROM gate_backup_codes WHERE event = ? AND token_id = ? AND valid_until > ? ORDER BY registered_at DESC";
// Guesses per ticket, counted in the shared store: guesses spread over every gate server of the
// venue count together. Each guess is counted before its code is checked, in one statement that
// answers the new count, so guesses racing each other cannot all read a count below the limit; a
// right code takes its count back. A count older than the window starts again at one.
const COUNT_GUESS = `
  INSERT INTO gate_backup_code_failures (event, token_id, failures, since) VALUES (?, ?, 1, ?)
  ON CONFLICT (event, token_id) DO UPDATE SET
    failures = CASE WHEN gate_backup_code_failures.since <= ? THEN 1 ELSE gate_backup_code_failures.failures + 1 END,
    since = CASE WHEN gate_backup_code_failures.since <= ? THEN excluded.since ELSE gate_backup_code_failures.since END
  RETURNING failures, since`;
const TAKE_BACK_GUESS = "UPDATE gate_backup_code_failures SET failures = failures - 1 WHERE event = ? AND token_id = ? AND since = ? AND failures > 0";
const TRIM = `
  DELETE FROM gate_backup_codes WHERE event = ? AND token_id = ? AND pass_key NOT IN
    (SELECT pass_key FROM gate_backup_codes WHERE event = ? AND token_id = ? ORDER BY registered_at DESC LIMIT ${KEYS_PER_TICKET})`;

export class BackupCodes {
  /** On the gate's shared store: SQLite (its table made by createBackupCodeTable) or PostgreSQL. */
  constructor(private readonly sql: SharedSql) {}

  /** Stores a verified pass's delegation for its ticket; the phone's secret (new or kept). */
  async register(pass: Omit<Pass, "timestamp" | "frameSignature">, now: number): Promise<Uint8Array> {
    const d = pass.delegation;
    const ids = [d.ticket.toLowerCase(), pass.tokenId.toString()] as const;
    await this.sql.run(UPSERT, ...ids, d.passKey.toLowerCase(), d.chainId.toString(), d.tokenId.toString(), d.validUntil, pass.holder.toLowerCase(), pass.walletSignature, randomBytes(32), now);
    await this.sql.run(TRIM, ...ids, ...ids);
    const row = await this.sql.get<{ secret: Uint8Array }>(SELECT_SECRET, ...ids, d.passKey.toLowerCase());
    return new Uint8Array(row!.secret);
  }

  /** Registrations of the ticket whose delegation has not expired, newest first. */
  async registrations(event: Address, tokenId: bigint, now: number): Promise<Registration[]> {
    const rows = await this.sql.all<Record<string, string | number | Uint8Array>>(SELECT_FOR_TICKET, event.toLowerCase(), tokenId.toString(), now);
    return rows.map((row) => ({
      pass: {
        delegation: {
          chainId: BigInt(row.chain_id as string),
          ticket: getAddress(row.event as string),
          tokenId: BigInt(row.delegation_token_id as string),
          passKey: row.pass_key as Hex,
          validUntil: Number(row.valid_until),
        },
        holder: getAddress(row.holder as string),
        walletSignature: row.wallet_signature as Hex,
        tokenId,
      },
      secret: new Uint8Array(row.secret as Uint8Array),
    }));
  }

  /**
   * Checks typed digits against every registered phone's code for the time steps a QR frame of
   * the same age would be accepted in ([now - maxAge, now + skew]).
   */
  async check(event: Address, tokenId: bigint, digits: string, now: number, maxAge: number, skew: number): Promise<CodeCheck> {
    const ids = [event.toLowerCase(), tokenId.toString()] as const;
    const registrations = await this.registrations(event, tokenId, now);
    if (!registrations.length) return { ok: false, reason: "no-backup-code" };
    const nowMs = Date.now();
    const windowStart = nowMs - FAILURE_WINDOW_MS;
    const counted = (await this.sql.get<{ failures: number | string; since: number | string }>(COUNT_GUESS, ...ids, nowMs, windowStart, windowStart))!;
    const since = Number(counted.since);
    if (Number(counted.failures) > MAX_FAILURES) {
      return { ok: false, reason: "backup-code-locked", retryAt: Math.ceil((since + FAILURE_WINDOW_MS) / 1000) };
    }
    const typed = Buffer.from(digits);
    for (const registration of registrations) {
      for (let step = backupStep(now - maxAge); step <= backupStep(now + skew); step++) {
        if (timingSafeEqual(Buffer.from(await backupCodeDigits(registration.secret, tokenId, step)), typed)) {
          await this.sql.run(TAKE_BACK_GUESS, ...ids, counted.since);
          return { ok: true, registration };
        }
      }
    }
    return { ok: false, reason: "bad-backup-code" };
  }

}
