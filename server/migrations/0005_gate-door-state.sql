-- The rest of the gate's venue-wide state, which gate servers on several machines share beside
-- the ledger: smart-account delegations registered with the gate and contract-wallet answers
-- (server/gate/contract-signatures.ts), backup-code registrations (server/gate/backup-codes.ts),
-- and offline scanners' uploads and conflicts (server/gate/offline-routes.ts). The same tables as
-- the SQLite ones those files create.

-- Up Migration

-- A holder's wallet said yes to a delegation (digest): checked online once, trusted offline.
CREATE TABLE gate_registered_delegations (
  holder TEXT NOT NULL,
  digest TEXT NOT NULL,
  signature TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  PRIMARY KEY (holder, digest)
);

-- Phones that registered a ticket's pass for backup codes, and their secrets.
CREATE TABLE gate_backup_codes (
  event TEXT NOT NULL,
  token_id TEXT NOT NULL,
  pass_key TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  delegation_token_id TEXT NOT NULL,
  valid_until BIGINT NOT NULL,
  holder TEXT NOT NULL,
  wallet_signature TEXT NOT NULL,
  secret BYTEA NOT NULL,
  registered_at BIGINT NOT NULL,
  PRIMARY KEY (event, token_id, pass_key)
);

-- Wrong backup codes typed per ticket since `since` (ms): guesses at every gate server count together.
CREATE TABLE gate_backup_code_failures (
  event TEXT NOT NULL,
  token_id TEXT NOT NULL,
  failures INTEGER NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (event, token_id)
);

-- Which device's upload admitted a ticket (the ledger has the admission itself).
CREATE TABLE gate_offline_admissions (
  event TEXT NOT NULL,
  token_id TEXT NOT NULL,
  device TEXT NOT NULL,
  device_label TEXT,
  uploaded_at BIGINT NOT NULL,
  PRIMARY KEY (event, token_id)
);

-- An offline admission of a ticket someone else admitted first.
CREATE TABLE gate_offline_conflicts (
  event TEXT NOT NULL,
  token_id TEXT NOT NULL,
  device TEXT NOT NULL,
  device_label TEXT,
  staff TEXT NOT NULL,
  admitted_at BIGINT NOT NULL,
  winner TEXT NOT NULL,
  reported_at BIGINT NOT NULL,
  PRIMARY KEY (event, token_id, device)
);
CREATE INDEX gate_offline_conflicts_by_event ON gate_offline_conflicts (event, reported_at, token_id);

-- Down Migration

DROP TABLE gate_offline_conflicts;
DROP TABLE gate_offline_admissions;
DROP TABLE gate_backup_code_failures;
DROP TABLE gate_backup_codes;
DROP TABLE gate_registered_delegations;
