// Issued voucher codes and allowlist trees, in SQLite: what organizers prepare off chain and
// fans fetch at checkout (a voucher by its code, an allowlist proof by their address).
import type { Address, Hex } from "viem";

import type { Database } from "../db.js";

export interface StoredVoucher {
  code: string;
  voucher: Record<string, string | number>;
  signature: Hex;
  createdBy: Address;
  createdAt: number;
}

export class OffersStore {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS offer_vouchers (
        event TEXT NOT NULL,
        code_id TEXT NOT NULL,
        code TEXT NOT NULL,
        voucher TEXT NOT NULL,
        signature TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (event, code_id)
      );
      CREATE TABLE IF NOT EXISTS offer_allowlists (
        event TEXT NOT NULL,
        tier_id INTEGER NOT NULL,
        root TEXT NOT NULL,
        tree TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (event, tier_id)
      );
    `);
  }

  /** A code re-issued (new terms, same code id) replaces the old one: uses are counted per code id on chain. */
  saveVoucher(event: Address, codeId: Hex, v: StoredVoucher) {
    this.db
      .prepare(
        `INSERT INTO offer_vouchers (event, code_id, code, voucher, signature, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event, code_id) DO UPDATE SET code = excluded.code, voucher = excluded.voucher, signature = excluded.signature,
           created_by = excluded.created_by, created_at = excluded.created_at`,
      )
      .run(event.toLowerCase(), codeId, v.code, JSON.stringify(v.voucher), v.signature, v.createdBy, v.createdAt);
  }

  voucher(event: Address, codeId: Hex): StoredVoucher | undefined {
    const row = this.db.prepare("SELECT * FROM offer_vouchers WHERE event = ? AND code_id = ?").get(event.toLowerCase(), codeId);
    return row ? toVoucher(row as Record<string, string | number>) : undefined;
  }

  vouchers(event: Address): StoredVoucher[] {
    return (this.db.prepare("SELECT * FROM offer_vouchers WHERE event = ? ORDER BY created_at").all(event.toLowerCase()) as Record<string, string | number>[]).map(toVoucher);
  }

  saveAllowlist(event: Address, tierId: number, root: Hex, tree: unknown, createdBy: Address, createdAt: number) {
    this.db
      .prepare(
        `INSERT INTO offer_allowlists (event, tier_id, root, tree, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (event, tier_id) DO UPDATE SET root = excluded.root, tree = excluded.tree, created_by = excluded.created_by, created_at = excluded.created_at`,
      )
      .run(event.toLowerCase(), tierId, root, JSON.stringify(tree), createdBy, createdAt);
  }

  allowlist(event: Address, tierId: number): { root: Hex; tree: unknown } | undefined {
    const row = this.db.prepare("SELECT root, tree FROM offer_allowlists WHERE event = ? AND tier_id = ?").get(event.toLowerCase(), tierId) as
      | { root: Hex; tree: string }
      | undefined;
    return row && { root: row.root, tree: JSON.parse(row.tree) };
  }
}

function toVoucher(row: Record<string, string | number>): StoredVoucher {
  return {
    code: row.code as string,
    voucher: JSON.parse(row.voucher as string),
    signature: row.signature as Hex,
    createdBy: row.created_by as Address,
    createdAt: Number(row.created_at),
  };
}
