-- The check-in writer takes an event's oldest waiting admissions for each batch (pg-ledger.ts
-- createBatch). The index by batch led with batch_id, and the planner cannot use `batch_id IS
-- NULL` to order by what follows, so it read every waiting admission of the event and sorted
-- them all for one batch: 9-13 ms at 20,000 waiting, 25 ms at 100,000, at each batch (up to six a
-- second at a busy door), and more when the chain has been out of reach and the queue has grown.
-- This partial index holds only the waiting admissions, by event in the batch's order. The one by
-- batch is kept for the lookups of one batch's admissions only (a batch's state changes, a dropped
-- batch), so it no longer holds the waiting ones, which it was never used to find.

-- Up Migration

CREATE INDEX gate_admissions_unwritten_by_event ON gate_admissions (event, admitted_at, token_id) WHERE batch_id IS NULL;
CREATE INDEX gate_admissions_by_batch ON gate_admissions (batch_id) WHERE batch_id IS NOT NULL;
DROP INDEX gate_admissions_pending;

-- Down Migration

CREATE INDEX gate_admissions_pending ON gate_admissions (batch_id, event, admitted_at);
DROP INDEX gate_admissions_by_batch;
DROP INDEX gate_admissions_unwritten_by_event;
