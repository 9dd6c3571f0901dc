-- The desk's work on a case beside the lifecycle: internal notes (never shown to residents), leaders'
-- 批示 that the owning department must answer, and the person in the department a case is assigned to.
CREATE TABLE case_notes (
  id             bigserial PRIMARY KEY,
  case_id        bigint NOT NULL REFERENCES cases (id),
  -- note: an internal note; instruction: a leader's 批示; answer: the department's answer to one
  kind           text NOT NULL CHECK (kind IN ('note', 'instruction', 'answer')),
  author         text NOT NULL,
  author_role    text NOT NULL,
  department_code text,
  body           text NOT NULL,
  answers_id     bigint REFERENCES case_notes (id),
  answered_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'answer') = (answers_id IS NOT NULL))
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, id);
CREATE INDEX case_notes_open_instructions_idx ON case_notes (case_id) WHERE kind = 'instruction' AND answered_at IS NULL;

ALTER TABLE cases ADD COLUMN assignee text;
