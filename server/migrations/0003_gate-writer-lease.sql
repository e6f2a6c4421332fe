-- The check-in writer's lease (server/gate/writer-lease.ts): one row per writer scope (a chain and
-- a gate key, whose nonces the writer spends). Of all gate servers started with that key, only
-- the holder of an unexpired lease writes; `token` grows by one at every change of holder, and
-- every batch change the writer makes is conditional on its token still being the row's (fencing),
-- so a writer that was paused past its lease cannot write after another took over.

-- Up Migration

CREATE TABLE gate_writer_lease (
  scope TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);

-- Down Migration

DROP TABLE gate_writer_lease;
