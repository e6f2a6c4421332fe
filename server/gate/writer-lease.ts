// One check-in writer at a time across machines (PostgreSQL): gate servers started with the same
// gate key all run a CheckInWriter, but only the holder of the key's lease writes. The lease is a
// row of gate_writer_lease (migration 0003): holder, expiry (the database's clock, so machines'
// clocks do not matter) and a fencing token that grows by one at every change of holder.
//
// - The holder renews it on every writer tick (every 250 ms by default), long before it expires.
// - Another server takes it over only once it has expired (its holder died, or lost its link to
//   the database): the token goes up, and the writer's every batch change (PgAdmissionLedger with
//   a fence) first locks the lease row and checks the token, so a writer that was paused past its
//   lease cannot create, sign, settle or drop anything after the takeover.
// - The new holder starts where the ledger stands: a batch left 'signed' is sent again with its
//   stored raw transaction (same nonce, same hash) before any new batch is made (writer.ts).
import { randomUUID } from "node:crypto";

import type { Pool } from "../pg.js";

export interface Fence {
  scope: string;
  holder: string;
  token: bigint;
}

/** A fenced write found another holder's token: this writer lost its lease and must stop writing. */
export class LeaseLost extends Error {
  constructor(scope: string) {
    super(`the writer lease of ${scope} is held by another gate server`);
  }
}

export class WriterLease {
  readonly holder = `${process.pid}-${randomUUID()}`;
  /** The token while this process holds the lease. */
  private held?: bigint;

  constructor(
    private readonly pool: Pool,
    readonly scope: string,
    private readonly ttlMs: number,
  ) {}

  get fence(): Fence | undefined {
    return this.held === undefined ? undefined : { scope: this.scope, holder: this.holder, token: this.held };
  }

  /**
   * Takes the lease if it is free or expired, or renews it if this process holds it: one statement.
   * Returns the fence to write under, or undefined while another process holds it.
   */
  async acquire(): Promise<Fence | undefined> {
    const { rows } = await this.pool.query<{ token: string }>(
      `INSERT INTO gate_writer_lease AS l (scope, holder, token, expires_at)
       VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
       ON CONFLICT (scope) DO UPDATE
         SET holder = EXCLUDED.holder,
             token = CASE WHEN l.holder = EXCLUDED.holder THEN l.token ELSE l.token + 1 END,
             expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
       RETURNING token::text AS token`,
      [this.scope, this.holder, this.ttlMs],
    );
    this.held = rows[0] ? BigInt(rows[0].token) : undefined;
    return this.fence;
  }

  /** Lets another server take over at once (a clean stop): the lease expires now; its token stays, to grow. */
  async release(): Promise<void> {
    const fence = this.fence;
    this.held = undefined;
    if (fence) {
      await this.pool.query("UPDATE gate_writer_lease SET expires_at = now() - interval '1 millisecond' WHERE scope = $1 AND holder = $2 AND token = $3", [
        fence.scope,
        fence.holder,
        fence.token.toString(),
      ]);
    }
  }

  /** Forgets the lease without a query (a fenced write found it lost). */
  lost() {
    this.held = undefined;
  }
}
