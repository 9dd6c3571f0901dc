-- Duplicate candidates read open cases' keys only (issue 14 item 2). Each key row carries whether
-- its case is open; a partial index over the open ones, ordered newest first with the case id
-- included, lets a message read per key the newest open cases of its window by an index-only range
-- that stops at the per-key limit, instead of every key row of the window and each one's case for
-- its status. Closed cases keep their keys (a reopening makes them candidates again).
ALTER TABLE case_dup_keys ADD COLUMN open boolean NOT NULL DEFAULT true;

-- Kept exact by a trigger on every status write to cases (closing, reopening, merging alike), so no
-- code path that changes a status can leave the flag behind. The open statuses are those of
-- core/cases/statuses.ts OPEN_STATUSES (core/cases/dup-keys-open.test.ts checks they agree).
CREATE FUNCTION case_dup_keys_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := OLD.status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');
  now_open boolean := NEW.status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');
BEGIN
  IF was IS DISTINCT FROM now_open THEN
    UPDATE case_dup_keys SET open = now_open WHERE case_id = NEW.id AND open IS DISTINCT FROM now_open;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_dup_keys_open AFTER UPDATE OF status ON cases
  FOR EACH ROW EXECUTE FUNCTION case_dup_keys_open();

-- the backfill after the trigger: creating it locks cases against writes until this migration
-- commits, so no status change can fall between the two
UPDATE case_dup_keys d SET open = false
FROM cases c WHERE c.id = d.case_id AND c.status NOT IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');

CREATE INDEX case_dup_keys_case_idx ON case_dup_keys (case_id);
-- the rows a message reads are the newest: let autovacuum mark them all-visible soon after they are
-- written (every 10,000 inserted rows rather than a fifth of the table), so the index-only range does
-- not visit the table for them
ALTER TABLE case_dup_keys SET (autovacuum_vacuum_insert_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0);
CREATE INDEX case_dup_keys_open_idx ON case_dup_keys (key, created_at DESC) INCLUDE (case_id) WHERE open;
