-- An event's counts change only when an admission is added or taken away, or moves into or out
-- of a counted method or batch state (0006). The check-in writer's every batch moves 250
-- admissions from no batch into a new one: pending before and after, so each group of the change
-- sums to zero. The upsert still wrote a new version of a counts row, and held its lock until the
-- writer's transaction committed; an admission insert whose transaction picked the same shard
-- waited for it (1-4 ms, seen in the cluster benchmark with log_lock_waits). A change whose counts
-- are all zero now writes nothing.

-- Up Migration

CREATE OR REPLACE FUNCTION gate_admissions_count(changes gate_admission_change[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO gate_admission_counts AS c (event, shard, admitted, by_code, by_lookup, by_offline, sending, confirmed, failed)
  SELECT d.event, (txid_current() % 16)::smallint, d.admitted, d.by_code, d.by_lookup, d.by_offline, d.sending, d.confirmed, d.failed
  FROM (
    SELECT r.event,
           SUM(r.sign) AS admitted,
           COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'code'), 0) AS by_code,
           COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'lookup'), 0) AS by_lookup,
           COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'offline'), 0) AS by_offline,
           COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'signed'), 0) AS sending,
           COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'confirmed'), 0) AS confirmed,
           COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'failed'), 0) AS failed
    FROM unnest(changes) AS r
    GROUP BY r.event
  ) AS d
  WHERE (d.admitted, d.by_code, d.by_lookup, d.by_offline, d.sending, d.confirmed, d.failed) <> (0, 0, 0, 0, 0, 0, 0)
  ORDER BY d.event
  ON CONFLICT (event, shard) DO UPDATE SET
    admitted = c.admitted + EXCLUDED.admitted,
    by_code = c.by_code + EXCLUDED.by_code,
    by_lookup = c.by_lookup + EXCLUDED.by_lookup,
    by_offline = c.by_offline + EXCLUDED.by_offline,
    sending = c.sending + EXCLUDED.sending,
    confirmed = c.confirmed + EXCLUDED.confirmed,
    failed = c.failed + EXCLUDED.failed;
END $$;

-- Down Migration

CREATE OR REPLACE FUNCTION gate_admissions_count(changes gate_admission_change[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO gate_admission_counts AS c (event, shard, admitted, by_code, by_lookup, by_offline, sending, confirmed, failed)
  SELECT r.event, (txid_current() % 16)::smallint,
         SUM(r.sign),
         COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'code'), 0),
         COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'lookup'), 0),
         COALESCE(SUM(r.sign) FILTER (WHERE r.method = 'offline'), 0),
         COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'signed'), 0),
         COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'confirmed'), 0),
         COALESCE(SUM(r.sign) FILTER (WHERE r.state = 'failed'), 0)
  FROM unnest(changes) AS r
  GROUP BY r.event
  ORDER BY r.event
  ON CONFLICT (event, shard) DO UPDATE SET
    admitted = c.admitted + EXCLUDED.admitted,
    by_code = c.by_code + EXCLUDED.by_code,
    by_lookup = c.by_lookup + EXCLUDED.by_lookup,
    by_offline = c.by_offline + EXCLUDED.by_offline,
    sending = c.sending + EXCLUDED.sending,
    confirmed = c.confirmed + EXCLUDED.confirmed,
    failed = c.failed + EXCLUDED.failed;
END $$;
