-- The gate's admission ledger in PostgreSQL (server/gate/pg-ledger.ts), mirroring the SQLite
-- tables of server/gate/ledger.ts. Applied by node-pg-migrate when a ledger opens; never edit a
-- migration that has shipped: add the next one (0002_...).

-- Up Migration

-- Check-in transactions of the gate key: one per batch of admissions of one event.
CREATE TABLE gate_batches (
  id BIGSERIAL PRIMARY KEY,
  event TEXT NOT NULL,
  -- The batch's token ids in the order of the transaction's array.
  token_ids NUMERIC(78, 0)[] NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('new', 'signed', 'confirmed', 'failed', 'dropped')),
  nonce BIGINT,
  raw_tx TEXT,
  tx_hash TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  settled_at BIGINT,
  -- When the writer saw the transaction mined (ms).
  confirmed_ms BIGINT,
  block_number BIGINT
);
CREATE INDEX gate_batches_tx_hash ON gate_batches (tx_hash);
CREATE INDEX gate_batches_open ON gate_batches (id) WHERE state IN ('new', 'signed');

-- One row per admitted ticket: the primary key makes admission atomic across every gate server.
CREATE TABLE gate_admissions (
  event TEXT NOT NULL,
  -- Any uint256, exactly.
  token_id NUMERIC(78, 0) NOT NULL
    CHECK (token_id >= 0 AND token_id < 115792089237316195423570985008687907853269984665640564039457584007913129639936),
  admitted_at BIGINT NOT NULL,
  admitted_ms BIGINT,
  staff TEXT NOT NULL,
  holder TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT 'qr' CHECK (method IN ('qr', 'code', 'lookup')),
  batch_id BIGINT REFERENCES gate_batches (id),
  PRIMARY KEY (event, token_id)
);
CREATE INDEX gate_admissions_pending ON gate_admissions (batch_id, event, admitted_at);
CREATE INDEX gate_admissions_unwritten ON gate_admissions (admitted_at, token_id) WHERE batch_id IS NULL;

-- Down Migration

DROP TABLE gate_admissions;
DROP TABLE gate_batches;
