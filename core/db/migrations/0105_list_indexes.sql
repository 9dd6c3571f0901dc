-- Staff lists at a city's scale (issue 14): each list's order and filter is an index, so a page reads
-- its rows in order and stops, and each count reads a small partial index instead of every case.

-- the desk's default order (urgent first, nearest resolution deadline, newest), written so that every
-- part ascends: a keyset cursor is one row comparison the index answers (core/db/cases.ts listCases)
CREATE INDEX cases_desk_order_idx ON cases ((urgency <> 'urgent'), (coalesce(resolve_due_at, 'infinity'::timestamptz)), (-id));
-- the same order over open cases only: 超期 (overdue) lists stop after one page
CREATE INDEX cases_desk_open_idx ON cases ((urgency <> 'urgent'), (coalesce(resolve_due_at, 'infinity'::timestamptz)), (-id))
  WHERE status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');
CREATE INDEX cases_open_due_idx ON cases (resolve_due_at) WHERE status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');
CREATE INDEX cases_district_category_idx ON cases (district, category);

-- the centre's queues (待派单, 延期审批) and 人工复核, in their own order
CREATE INDEX cases_queue_dispatch_idx ON cases ((urgency = 'urgent') DESC, created_at, id)
  WHERE status IN ('received', 'returned') AND department_code IS NULL;
CREATE INDEX cases_queue_extensions_idx ON cases (id)
  WHERE status IN ('accepted', 'waiting') AND jsonb_typeof(lifecycle -> 'pendingExtension') = 'object';
CREATE INDEX cases_triage_idx ON cases ((least(coalesce(category_confidence, 0), coalesce(type_confidence, 0))), created_at)
  WHERE needs_review AND status NOT IN ('closed', 'rated', 'merged');

-- The public board (公开留言选登) is kept by the workers, never by a request: a case whose board entry
-- may have changed is queued here by a trigger; the after-commit step of a case action and the
-- read-model sweep (workers/processors/read-models.ts) mask it and write its entry. `v` tells a
-- newer change apart from the one being synced (the row is deleted only if it is still that one).
CREATE TABLE board_dirty (
  case_id  bigint PRIMARY KEY,
  v        bigserial NOT NULL
);
-- the sync takes the newest few after each case action and the oldest batch in the sweep
CREATE INDEX board_dirty_v_idx ON board_dirty (v);

CREATE FUNCTION board_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO board_dirty (case_id) VALUES (NEW.id)
    ON CONFLICT (case_id) DO UPDATE SET v = nextval(pg_get_serial_sequence('board_dirty', 'v'));
  RETURN NULL;
END $$;

CREATE TRIGGER cases_board_dirty_insert AFTER INSERT ON cases FOR EACH ROW
  WHEN (NEW.status IN ('replied', 'closed', 'rated')) EXECUTE FUNCTION board_mark_dirty();
CREATE TRIGGER cases_board_dirty_update AFTER UPDATE ON cases FOR EACH ROW
  WHEN ((NEW.status IN ('replied', 'closed', 'rated') OR OLD.status IN ('replied', 'closed', 'rated'))
    AND (NEW.updated_at IS DISTINCT FROM OLD.updated_at OR NEW.status IS DISTINCT FROM OLD.status
      OR NEW.reply_text IS DISTINCT FROM OLD.reply_text OR NEW.reply_pending IS DISTINCT FROM OLD.reply_pending
      OR NEW.merged_into IS DISTINCT FROM OLD.merged_into OR NEW.title IS DISTINCT FROM OLD.title
      OR NEW.summary IS DISTINCT FROM OLD.summary OR NEW.department_code IS DISTINCT FROM OLD.department_code
      OR NEW.rating IS DISTINCT FROM OLD.rating))
  EXECUTE FUNCTION board_mark_dirty();

-- what the request used to sync on the fly: eligible cases whose entry is missing or older, and entries to drop
INSERT INTO board_dirty (case_id)
  SELECT c.id FROM cases c LEFT JOIN board_entries e ON e.case_id = c.id
  WHERE c.status IN ('replied', 'closed', 'rated') AND (e.case_id IS NULL OR e.case_updated_at IS DISTINCT FROM c.updated_at)
    -- only cases the board may show (a resident consented): the rest of the answered history never has an entry
    AND EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id AND m.tracking_no = c.tracking_no AND m.is_public)
  UNION SELECT case_id FROM board_entries
ON CONFLICT (case_id) DO NOTHING;

-- Search lexemes follow the text: a change of the searched columns clears them (a BEFORE trigger, in
-- the same write), the sweep indexes the case again, and until then the search reads it by ILIKE.
CREATE FUNCTION cases_search_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.search_tsv IS NOT DISTINCT FROM OLD.search_tsv THEN NEW.search_tsv := NULL; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cases_search_stale BEFORE UPDATE OF title, summary, address, tracking_no ON cases FOR EACH ROW
  WHEN (NEW.title IS DISTINCT FROM OLD.title OR NEW.summary IS DISTINCT FROM OLD.summary
    OR NEW.address IS DISTINCT FROM OLD.address OR NEW.tracking_no IS DISTINCT FROM OLD.tracking_no)
  EXECUTE FUNCTION cases_search_stale();

-- the board's pages by category, in its order
CREATE INDEX board_entries_category_idx ON board_entries (category, replied_at DESC, case_id DESC);
