-- The used-ticket feed (GET /gate/:event/used-since, pg-ledger.ts admittedSince): a scanner asks
-- every few seconds for the tickets admitted since its cursor, so that when its link drops it
-- refuses a pass admitted at another gate a moment before, not only those of its last full copy.
--
-- The cursor must follow the order in which admissions become visible, and neither a timestamp
-- nor a sequence does: a gate's insert can take its value, then commit after another gate's later
-- one, which a device may have read past meanwhile. So each admission keeps the id of the
-- transaction that inserted it, and the feed returns only those below its snapshot's xmin (every
-- transaction below it has ended, so every admission below it that committed is in the answer);
-- that xmin is the next cursor.

-- Up Migration

ALTER TABLE gate_admissions ADD COLUMN admitted_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX gate_admissions_by_xid ON gate_admissions (event, admitted_xid);

-- Down Migration

DROP INDEX gate_admissions_by_xid;
ALTER TABLE gate_admissions DROP COLUMN admitted_xid;
