-- The public board (公开留言选登): each published case as the public sees it, personal data already
-- masked, so that search runs over the masked text only (a phone number typed into the search box
-- must not find the case of the resident who has it). Rebuilt from the case when its row changes.
CREATE TABLE board_entries (
  case_id          bigint PRIMARY KEY REFERENCES cases (id),
  tracking_no      text NOT NULL UNIQUE,
  title            text,
  body             text NOT NULL,
  reply            text,
  category         text,
  district         text,
  department       text,
  status           text NOT NULL,
  rating           text,
  received_at      timestamptz NOT NULL,
  replied_at       timestamptz,
  case_updated_at  timestamptz NOT NULL,
  search_text      text NOT NULL
);
CREATE INDEX board_entries_replied_idx ON board_entries (replied_at DESC, case_id DESC);
