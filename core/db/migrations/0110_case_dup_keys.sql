-- Duplicate candidates at a city's scale (issue 14): each case's index keys are rows of their own,
-- scoped by place, under a btree on (key, created_at), instead of one GIN array over every case.
-- A key is '<scope>|<key>': scope 's:<street>', 'd:<district>' or 'n:<district>' (a case naming the
-- district but no street); key 'b0:ab12' … (SimHash bands), 't:…' (problem objects), 'k:…' (keywords).
-- A message reads, per key, the newest cases of its window (an index range), so the work per message
-- does not grow with the number of open cases elsewhere. No foreign key: cases are never deleted, and
-- the lookup joins cases for their status anyway.
CREATE TABLE case_dup_keys (
  key         text NOT NULL,
  created_at  timestamptz NOT NULL,
  case_id     bigint NOT NULL,
  PRIMARY KEY (key, created_at, case_id)
);

-- the keys of the cases that already have features, scoped as core/cases/duplicates.ts storedDupKeys does
INSERT INTO case_dup_keys (key, created_at, case_id)
SELECT DISTINCT s.scope || '|' || k.key, f.created_at, f.case_id
FROM case_dup_features f
CROSS JOIN LATERAL unnest(f.keys) AS k(key)
CROSS JOIN LATERAL (VALUES
  (CASE WHEN f.street IS NOT NULL AND f.street NOT IN ('', 'unknown') THEN 's:' || f.street END),
  (CASE WHEN f.district IS NOT NULL AND f.district NOT IN ('', 'unknown') THEN 'd:' || f.district END),
  (CASE WHEN f.district IS NOT NULL AND f.district NOT IN ('', 'unknown') AND (f.street IS NULL OR f.street IN ('', 'unknown')) THEN 'n:' || f.district END)
) AS s(scope)
WHERE s.scope IS NOT NULL;

-- the former lookup's indexes: no query reads them now, and each cost every case opening a write
DROP INDEX case_dup_features_keys_idx;
DROP INDEX case_dup_features_district_idx;
DROP INDEX case_dup_features_street_idx;

-- open cases opened before features were stored: the only ones still scored from their text. A list
-- of its own, so a message does not scan its place's cases for them (they get features on first use).
CREATE TABLE case_dup_legacy (
  case_id bigint PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE
);
INSERT INTO case_dup_legacy (case_id)
SELECT c.id FROM cases c
WHERE c.status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned')
  AND NOT EXISTS (SELECT 1 FROM case_dup_features f WHERE f.case_id = c.id);
