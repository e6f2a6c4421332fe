// SIWE nonces and sessions in PostgreSQL: what store.ts keeps in the server's SQLite file, shared
// by servers on several machines (DATABASE_URL), so that staff signed in at one gate server are
// signed in at all of them and a sign-out at one ends the session at every one. The rules are
// store.ts's (async-store.ts lists them); what makes them hold across machines:
// - a nonce is spent by one UPDATE ... WHERE used_at IS NULL: PostgreSQL makes a second UPDATE of
//   the row wait for the first to commit and then checks its WHERE again on the new row, so of
//   any number of servers racing with one nonce exactly one changes the row;
// - times are the caller's unix seconds (`now`), as in store.ts, never the database server's clock.
//
// The tables come from server/migrations (0002_auth-sessions.sql, applied at open, server/pg.ts).
// app.ts and web-worker.ts use it when DATABASE_URL is set.
import { randomBytes } from "node:crypto";

import type { Address } from "viem";

import { openMigratedPool, type Pool, type PoolOptions } from "../pg.js";
import type { AsyncSessionStore } from "./async-store.js";
import { NONCE_KEPT_SECONDS, SESSION_CACHE_ENTRIES, SESSION_CACHE_MS, type NonceState, type Session, type SessionCacheOptions } from "./store.js";

/** Opens a pool on `url`, applies the migrations, and returns the store (which owns the pool). */
export async function openPgSessionStore(url: string, options: PoolOptions & SessionCacheOptions = {}): Promise<PgSessionStore> {
  const pool = await openMigratedPool(url, options);
  return new PgSessionStore(pool, { ...options, ownsPool: true });
}

export class PgSessionStore implements AsyncSessionStore {
  /** Sessions read lately, as SessionReader keeps them: every request reads one. */
  private readonly sessions = new Map<string, { session: Session | undefined; readAt: number }>();
  private readonly cacheMs: number;
  private readonly ownsPool: boolean;

  /** On a pool whose database is migrated (openPgSessionStore does both). */
  constructor(
    readonly pool: Pool,
    options: SessionCacheOptions & { ownsPool?: boolean } = {},
  ) {
    this.cacheMs = options.cacheMs ?? SESSION_CACHE_MS;
    this.ownsPool = options.ownsPool ?? false;
  }

  /** An alphanumeric nonce (EIP-4361 requires at least 8 such characters). */
  async createNonce(now: number, ttlSeconds: number): Promise<string> {
    const nonce = randomBytes(16).toString("hex");
    await this.pool.query("INSERT INTO auth_nonces (nonce, expires_at) VALUES ($1, $2)", [nonce, now + ttlSeconds]);
    await this.pool.query("DELETE FROM auth_nonces WHERE expires_at < $1", [now - NONCE_KEPT_SECONDS]);
    return nonce;
  }

  async consumeNonce(nonce: string, now: number): Promise<NonceState> {
    const { rowCount } = await this.pool.query("UPDATE auth_nonces SET used_at = $1 WHERE nonce = $2 AND used_at IS NULL AND expires_at > $1", [now, nonce]);
    if (rowCount === 1) return "ok";
    const { rows } = await this.pool.query<{ used_at: string | null }>("SELECT used_at FROM auth_nonces WHERE nonce = $1", [nonce]);
    if (rows.length === 0) return "unknown-nonce";
    return rows[0].used_at !== null ? "nonce-used" : "nonce-expired";
  }

  async createSession(address: Address, chainId: number, now: number, ttlSeconds: number): Promise<Session> {
    const session = { id: randomBytes(32).toString("base64url"), address, chainId, expiresAt: now + ttlSeconds };
    await this.pool.query("INSERT INTO auth_sessions (id, address, chain_id, expires_at) VALUES ($1, $2, $3, $4)", [
      session.id,
      address,
      chainId,
      session.expiresAt,
    ]);
    // An expired session is never read again (getSession asks for expires_at > now): gone.
    await this.pool.query("DELETE FROM auth_sessions WHERE expires_at <= $1", [now]);
    return session;
  }

  async getSession(id: string, now: number): Promise<Session | undefined> {
    const cached = this.sessions.get(id);
    if (cached && Date.now() - cached.readAt < this.cacheMs) {
      return cached.session && cached.session.expiresAt > now ? cached.session : undefined;
    }
    const { rows } = await this.pool.query<{ address: Address; chain_id: number; expires_at: string }>(
      "SELECT address, chain_id, expires_at FROM auth_sessions WHERE id = $1 AND expires_at > $2",
      [id, now],
    );
    const row = rows[0];
    const session = row && { id, address: row.address, chainId: row.chain_id, expiresAt: Number(row.expires_at) };
    if (this.sessions.size > SESSION_CACHE_ENTRIES) this.sessions.clear();
    this.sessions.set(id, { session, readAt: Date.now() });
    return session;
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
    await this.pool.query("DELETE FROM auth_sessions WHERE id = $1", [id]);
    this.sessions.delete(id); // a read of this server's that was under way meanwhile cached it
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
