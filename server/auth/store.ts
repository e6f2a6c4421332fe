// Nonces (single use, expiring) and sessions, in SQLite. The same store in PostgreSQL, shared by
// servers on several machines, is pg-store.ts; async-store.ts holds the interface both satisfy.
import { randomBytes } from "node:crypto";

import type { Address } from "viem";

import type { Database } from "../db.js";

export type NonceState = "ok" | "unknown-nonce" | "nonce-used" | "nonce-expired";

export interface Session {
  id: string;
  address: Address;
  chainId: number;
  expiresAt: number;
}

/** Sessions are read on every request; a signed-out session stays usable here for at most this long on other processes. */
export const SESSION_CACHE_MS = 5_000;
/** Sessions a reader remembers at most; past this its cache is emptied. */
export const SESSION_CACHE_ENTRIES = 10_000;
/** A nonce is deleted this long after it expired (until then, reusing it is refused as expired, not unknown). */
export const NONCE_KEPT_SECONDS = 86_400;

export interface SessionCacheOptions {
  /** How long a session read is reused (SESSION_CACHE_MS); 0: every read asks the database. */
  cacheMs?: number;
}

/**
 * Reads sessions (cached briefly: every request reads one). The server's threads that answer HTTP
 * each read the one sessions table through their own connection.
 */
export class SessionReader {
  private readonly selectSession;
  private readonly sessions = new Map<string, { session: Session | undefined; readAt: number }>();
  private readonly cacheMs: number;

  constructor(db: Database, options: SessionCacheOptions = {}) {
    this.cacheMs = options.cacheMs ?? SESSION_CACHE_MS;
    this.selectSession = db.prepare("SELECT address, chain_id, expires_at FROM auth_sessions WHERE id = ? AND expires_at > ?");
  }

  getSession(id: string, now: number): Session | undefined {
    const cached = this.sessions.get(id);
    if (cached && Date.now() - cached.readAt < this.cacheMs) {
      return cached.session && cached.session.expiresAt > now ? cached.session : undefined;
    }
    const row = this.selectSession.get(id, now) as { address: Address; chain_id: number; expires_at: number } | undefined;
    const session = row && { id, address: row.address, chainId: row.chain_id, expiresAt: row.expires_at };
    if (this.sessions.size > SESSION_CACHE_ENTRIES) this.sessions.clear();
    this.sessions.set(id, { session, readAt: Date.now() });
    return session;
  }

  forget(id: string) {
    this.sessions.delete(id);
  }
}

export class AuthStore {
  readonly sessions: SessionReader;

  constructor(
    private readonly db: Database,
    options: SessionCacheOptions = {},
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS auth_nonces (
        nonce TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS auth_sessions (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        chain_id INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS auth_sessions_expires ON auth_sessions (expires_at);
    `);
    this.sessions = new SessionReader(db, options);
  }

  /** An alphanumeric nonce (EIP-4361 requires at least 8 such characters). */
  createNonce(now: number, ttlSeconds: number): string {
    const nonce = randomBytes(16).toString("hex");
    this.db.prepare("INSERT INTO auth_nonces (nonce, expires_at) VALUES (?, ?)").run(nonce, now + ttlSeconds);
    this.db.prepare("DELETE FROM auth_nonces WHERE expires_at < ?").run(now - NONCE_KEPT_SECONDS);
    return nonce;
  }

  /** Marks the nonce used, atomically: of two sign-ins with one nonce only one succeeds. */
  consumeNonce(nonce: string, now: number): NonceState {
    const { changes } = this.db
      .prepare("UPDATE auth_nonces SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?")
      .run(now, nonce, now);
    if (changes === 1) return "ok";
    const row = this.db.prepare("SELECT expires_at, used_at FROM auth_nonces WHERE nonce = ?").get(nonce) as
      | { expires_at: number; used_at: number | null }
      | undefined;
    if (!row) return "unknown-nonce";
    return row.used_at !== null ? "nonce-used" : "nonce-expired";
  }

  createSession(address: Address, chainId: number, now: number, ttlSeconds: number): Session {
    const session = { id: randomBytes(32).toString("base64url"), address, chainId, expiresAt: now + ttlSeconds };
    this.db
      .prepare("INSERT INTO auth_sessions (id, address, chain_id, expires_at) VALUES (?, ?, ?, ?)")
      .run(session.id, address, chainId, session.expiresAt);
    // An expired session is never read again (getSession asks for expires_at > now): gone.
    this.db.prepare("DELETE FROM auth_sessions WHERE expires_at <= ?").run(now);
    return session;
  }

  getSession(id: string, now: number): Session | undefined {
    return this.sessions.getSession(id, now);
  }

  deleteSession(id: string) {
    this.sessions.forget(id);
    this.db.prepare("DELETE FROM auth_sessions WHERE id = ?").run(id);
  }
}
