// What the sponsorship service has signed, per account and day (UTC), in SQLite: the daily limit
// counts user operations (an account's nonce), so asking again for the same operation (a retry,
// new gas prices) does not count twice.
import type { Address } from "viem";

import type { Database } from "../db.js";

const DAY = 86_400;

export class SponsorshipStore {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sponsored_operations (
        sender TEXT NOT NULL,
        nonce TEXT NOT NULL,
        day INTEGER NOT NULL,
        budget TEXT NOT NULL,
        signed_at INTEGER NOT NULL,
        PRIMARY KEY (sender, nonce)
      );
      CREATE INDEX IF NOT EXISTS sponsored_operations_by_day ON sponsored_operations (sender, day);
    `);
  }

  /** Operations signed for `sender` on the UTC day of `now`, other than the one with `nonce`. */
  countToday(sender: Address, nonce: bigint, now: number): number {
    const row = this.db
      .prepare("SELECT COUNT(*) AS n FROM sponsored_operations WHERE sender = ? AND day = ? AND nonce != ?")
      .get(sender.toLowerCase(), Math.floor(now / DAY), nonce.toString()) as { n: number };
    return row.n;
  }

  record(sender: Address, nonce: bigint, budget: Address, now: number) {
    this.db
      .prepare(
        `INSERT INTO sponsored_operations (sender, nonce, day, budget, signed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sender, nonce) DO UPDATE SET budget = excluded.budget, signed_at = excluded.signed_at`,
      )
      .run(sender.toLowerCase(), nonce.toString(), Math.floor(now / DAY), budget.toLowerCase(), now);
  }
}
