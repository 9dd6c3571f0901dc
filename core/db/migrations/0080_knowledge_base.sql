-- 知识库 (国办发〔2020〕53号): answers the desk can reuse, and reply templates. An entry is searched by the
-- lexemes of its question and of its answer (jieba tokens and Han character pairs, core/kb/rank.ts),
-- kept apart for ranking and together, as a tsvector with no parser (array_to_tsvector), for the GIN
-- index that finds candidates: no Chinese parser or extension is needed in either run mode.
CREATE TABLE kb_entries (
  id               bigserial PRIMARY KEY,
  question         text NOT NULL,
  answer           text NOT NULL,
  category         text,
  department_code  text REFERENCES departments (code),
  -- inclusive calendar days in the city's time zone; NULL: open-ended
  valid_from       date,
  valid_to         date,
  created_by       text NOT NULL,
  source_case_id   bigint REFERENCES cases (id),
  question_lexemes text[] NOT NULL,
  answer_lexemes   text[] NOT NULL,
  search_tsv       tsvector NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
);
CREATE INDEX kb_entries_search_idx ON kb_entries USING gin (search_tsv);
CREATE INDEX kb_entries_department_idx ON kb_entries (department_code);

-- 答复模板: a body with placeholders ({居民称呼} {受理编号} {承办单位}) filled from the case when chosen.
CREATE TABLE reply_templates (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  body        text NOT NULL,
  category    text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
