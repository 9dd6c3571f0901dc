-- Leaders' 批示 on a 舆情 topic: one instruction, answered by every department that had a case of the
-- topic when it was given (one row each: answered or not). Staff only, never in a resident's view.
CREATE TABLE topic_instructions (
  id           bigserial PRIMARY KEY,
  topic_id     bigint NOT NULL REFERENCES opinion_topics (id),
  -- the topic's label when the instruction was given (a topic's label may change as it grows)
  topic_label  text NOT NULL,
  author       text NOT NULL,
  author_role  text NOT NULL,
  body         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX topic_instructions_topic_idx ON topic_instructions (topic_id, id);

CREATE TABLE topic_instruction_departments (
  instruction_id   bigint NOT NULL REFERENCES topic_instructions (id),
  department_code  text NOT NULL REFERENCES departments (code),
  answer           text,
  answered_by      text,
  answered_at      timestamptz,
  PRIMARY KEY (instruction_id, department_code),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX topic_instruction_departments_open_idx ON topic_instruction_departments (department_code) WHERE answered_at IS NULL;
