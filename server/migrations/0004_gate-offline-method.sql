-- Admissions a scanner made on its own while its link to the gate was down are uploaded later
-- (server/gate/offline-routes.ts) and recorded with method 'offline'.

-- Up Migration

ALTER TABLE gate_admissions DROP CONSTRAINT gate_admissions_method_check;
ALTER TABLE gate_admissions ADD CONSTRAINT gate_admissions_method_check CHECK (method IN ('qr', 'code', 'lookup', 'offline'));

-- Down Migration

ALTER TABLE gate_admissions DROP CONSTRAINT gate_admissions_method_check;
ALTER TABLE gate_admissions ADD CONSTRAINT gate_admissions_method_check CHECK (method IN ('qr', 'code', 'lookup'));
