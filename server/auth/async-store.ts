// The auth store's API as promises, so that sign-in can run on either back end: the embedded
// SQLite store (store.ts, synchronous, wrapped by SqliteSessionStoreAdapter) or the PostgreSQL one
// (pg-store.ts) that servers on several machines share, so that staff signed in at one gate server
// are signed in at all of them. Both keep the same rules, checked by one shared test suite
// (test/server/pg-auth-store.test.ts):
// - a nonce is spent once: of any number of sign-ins racing with it, on any servers, one gets "ok";
// - a nonce past its expiry is refused ("nonce-expired"), and forgotten NONCE_KEPT_SECONDS later;
// - a session is read by every server until it expires or is signed out; a server that read it
//   in the last cacheMs (SESSION_CACHE_MS) may still accept it that long after a sign-out elsewhere;
// - creating a session deletes the expired ones.
//
// app.ts and web-worker.ts pick PgSessionStore when DATABASE_URL is set, else the SQLite store.
import type { Address } from "viem";

import { asPromise } from "../db.js";
import type { AuthStore, NonceState, Session } from "./store.js";

export interface AsyncSessionStore {
  /** A new alphanumeric nonce valid for `ttlSeconds`; nonces long expired are deleted. */
  createNonce(now: number, ttlSeconds: number): Promise<string>;
  /** Marks the nonce used, atomically: of two sign-ins with one nonce only one gets "ok". */
  consumeNonce(nonce: string, now: number): Promise<NonceState>;
  createSession(address: Address, chainId: number, now: number, ttlSeconds: number): Promise<Session>;
  /** The session if it exists and has not expired at `now` (cached briefly). */
  getSession(id: string, now: number): Promise<Session | undefined>;
  /** Signs out: the session ends here at once, on other servers within their cache time. */
  deleteSession(id: string): Promise<void>;
  /** Releases the store's connections (PostgreSQL); the SQLite adapter leaves its database open to its owner. */
  close(): Promise<void>;
}

/**
 * The SQLite store behind the async interface: every call runs synchronously (node:sqlite) and
 * returns a settled promise, so its behaviour is exactly AuthStore's.
 */
export class SqliteSessionStoreAdapter implements AsyncSessionStore {
  constructor(readonly store: AuthStore) {}

  createNonce(now: number, ttlSeconds: number) {
    return asPromise(() => this.store.createNonce(now, ttlSeconds));
  }
  consumeNonce(nonce: string, now: number) {
    return asPromise(() => this.store.consumeNonce(nonce, now));
  }
  createSession(address: Address, chainId: number, now: number, ttlSeconds: number) {
    return asPromise(() => this.store.createSession(address, chainId, now, ttlSeconds));
  }
  getSession(id: string, now: number) {
    return asPromise(() => this.store.getSession(id, now));
  }
  deleteSession(id: string) {
    return asPromise(() => this.store.deleteSession(id));
  }
  close() {
    return Promise.resolve();
  }
}
