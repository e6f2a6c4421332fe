-- SIWE nonces and sessions in PostgreSQL (server/auth/pg-store.ts), mirroring the SQLite tables of
-- server/auth/store.ts, so that staff signed in at one gate server are signed in at all of them.
-- Times are unix seconds, as there. Applied by node-pg-migrate when a store opens; never edit a
-- migration that has shipped: add the next one (0003_...).

-- Up Migration

-- Nonces handed out by GET /auth/nonce: spent once (used_at set by one atomic UPDATE), refused
-- after expires_at, deleted a day after it.
CREATE TABLE auth_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX auth_nonces_expires ON auth_nonces (expires_at);

-- Signed-in accounts: the id is the cookie's (or bearer token's) value. Deleted at sign-out, and
-- once expired when the next session is created.
CREATE TABLE auth_sessions (
  id TEXT PRIMARY KEY,
  address TEXT NOT NULL,
  chain_id INTEGER NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);

-- Down Migration

DROP TABLE auth_sessions;
DROP TABLE auth_nonces;
