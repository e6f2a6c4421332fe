-- An event's counts change when an admission is added or taken away, or moves into or out of a
-- counted method or batch state (0006). The check-in writer's every batch moves its admissions
-- from no batch into a new one: pending before and after. The update trigger still upserted a
-- row of zeros, and held that counts row's lock until the writer's transaction committed; an
-- admission insert whose transaction picked the same shard waited for it (1-4 ms, seen in the
-- cluster benchmark with log_lock_waits). An update's changes are now netted first, and one that
-- leaves every count as it was writes nothing. Inserts and deletes are counted as before: an
-- insert always adds, and their path is the door's.

-- Up Migration

CREATE OR REPLACE FUNCTION gate_admissions_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes gate_admission_change[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM gate_admissions_count(ARRAY(
      SELECT (a.event, a.method, b.state, 1)::gate_admission_change FROM added a LEFT JOIN gate_batches b ON b.id = a.batch_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM gate_admissions_count(ARRAY(
      SELECT (a.event, a.method, b.state, -1)::gate_admission_change FROM removed a LEFT JOIN gate_batches b ON b.id = a.batch_id));
  ELSE
    -- Netted by what the counts tell apart (the method, and the state when it is counted): a
    -- waiting admission put into a new batch leaves nothing.
    changes := ARRAY(
      SELECT (c.event, c.method, c.state, SUM(c.sign)::integer)::gate_admission_change
      FROM (SELECT a.event, a.method, CASE WHEN b.state IN ('signed', 'confirmed', 'failed') THEN b.state END AS state, 1 AS sign
              FROM added a LEFT JOIN gate_batches b ON b.id = a.batch_id
            UNION ALL
            SELECT a.event, a.method, CASE WHEN b.state IN ('signed', 'confirmed', 'failed') THEN b.state END, -1
              FROM removed a LEFT JOIN gate_batches b ON b.id = a.batch_id) AS c
      GROUP BY c.event, c.method, c.state
      HAVING SUM(c.sign) <> 0);
    IF cardinality(changes) > 0 THEN
      PERFORM gate_admissions_count(changes);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- Down Migration

CREATE OR REPLACE FUNCTION gate_admissions_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM gate_admissions_count(ARRAY(
      SELECT (a.event, a.method, b.state, 1)::gate_admission_change FROM added a LEFT JOIN gate_batches b ON b.id = a.batch_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM gate_admissions_count(ARRAY(
      SELECT (a.event, a.method, b.state, -1)::gate_admission_change FROM removed a LEFT JOIN gate_batches b ON b.id = a.batch_id));
  ELSE
    PERFORM gate_admissions_count(ARRAY(
      SELECT (a.event, a.method, b.state, 1)::gate_admission_change FROM added a LEFT JOIN gate_batches b ON b.id = a.batch_id
      UNION ALL
      SELECT (a.event, a.method, b.state, -1)::gate_admission_change FROM removed a LEFT JOIN gate_batches b ON b.id = a.batch_id));
  END IF;
  RETURN NULL;
END $$;
