-- Minsheng data model: messages as received, cases (工单) with their audit trail, departments,
-- staff, channel cursors, the outbox of replies, and rejects (payloads that could not be parsed).

CREATE TABLE app_state (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  short_name    text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('city-bureau', 'district', 'utility', 'centre', 'other')),
  district      text,
  leader_title  text,
  phone         text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
  id               bigserial PRIMARY KEY,
  username         text NOT NULL UNIQUE,
  display_name     text NOT NULL,
  role             text NOT NULL CHECK (role IN ('admin', 'centre', 'department', 'leader')),
  department_code  text REFERENCES departments (code),
  token_hash       text UNIQUE,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE tracking_seq;

CREATE TABLE messages (
  id                bigserial PRIMARY KEY,
  channel           text NOT NULL CHECK (channel IN ('wechat', 'weibo', 'portal', 'hotline')),
  external_id       text NOT NULL,
  received_at       timestamptz NOT NULL,
  stored_at         timestamptz NOT NULL DEFAULT now(),
  raw               text NOT NULL,
  raw_content_type  text NOT NULL,
  title             text,
  body              text NOT NULL,
  contact_name      text,
  contact_phone     text,
  contact_handle    text,
  account           text,
  address           text,
  location          jsonb,
  is_public         boolean NOT NULL DEFAULT true,
  tracking_no       text NOT NULL UNIQUE,
  query_code        text NOT NULL,
  state             text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'processing', 'processed', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  last_error        text,
  processed_at      timestamptz,
  analysis          jsonb,
  case_id           bigint,
  UNIQUE (channel, external_id)
);
CREATE INDEX messages_state_idx ON messages (state) WHERE state <> 'processed';
CREATE INDEX messages_received_idx ON messages (received_at);
CREATE INDEX messages_case_idx ON messages (case_id);

CREATE TABLE cases (
  id                    bigserial PRIMARY KEY,
  tracking_no           text NOT NULL UNIQUE,
  status                text NOT NULL,
  title                 text,
  summary               text NOT NULL,
  channel               text NOT NULL,
  category              text,
  category_confidence   real,
  request_type          text,
  type_confidence       real,
  urgency               text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('urgent', 'normal')),
  sentiment             text,
  sentiment_score       real,
  district              text,
  street                text,
  community             text,
  address               text,
  keywords              text[] NOT NULL DEFAULT '{}',
  fingerprint           text,
  needs_review          boolean NOT NULL DEFAULT false,
  department_code       text REFERENCES departments (code),
  route_rule            text,
  return_count          integer NOT NULL DEFAULT 0,
  extension_days        integer NOT NULL DEFAULT 0,
  accept_due_at         timestamptz,
  response_due_at       timestamptz,
  resolve_due_at        timestamptz,
  dispatched_at         timestamptz,
  accepted_at           timestamptz,
  first_response_at     timestamptz,
  replied_at            timestamptz,
  closed_at             timestamptz,
  rated_at              timestamptz,
  rating                text CHECK (rating IN ('满意', '基本满意', '不满意')),
  resolved              boolean,
  reply_text            text,
  paused_at             timestamptz,
  overdue               boolean NOT NULL DEFAULT false,
  escalated_at          timestamptz,
  merged_into           bigint REFERENCES cases (id),
  version               integer NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_status_idx ON cases (status);
CREATE INDEX cases_department_idx ON cases (department_code, status);
CREATE INDEX cases_created_idx ON cases (created_at);
CREATE INDEX cases_fingerprint_open_idx ON cases (district, created_at) WHERE status NOT IN ('closed', 'rated', 'merged');

ALTER TABLE messages ADD CONSTRAINT messages_case_fk FOREIGN KEY (case_id) REFERENCES cases (id);

-- Append-only audit of every state change: who, when, from what to what.
CREATE TABLE case_events (
  id           bigserial PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases (id),
  seq          integer NOT NULL,
  type         text NOT NULL,
  from_status  text,
  to_status    text,
  actor_kind   text NOT NULL CHECK (actor_kind IN ('system', 'staff', 'centre', 'department', 'resident', 'leader')),
  actor_id     text,
  at           timestamptz NOT NULL,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (case_id, seq)
);

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only';
END $$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

CREATE TABLE channel_cursors (
  channel     text NOT NULL,
  account     text NOT NULL,
  cursor      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, account)
);

-- Replies and notices to residents; a row is sent once even if a worker dies mid-send.
CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  case_id          bigint REFERENCES cases (id),
  message_id       bigint REFERENCES messages (id),
  channel          text NOT NULL,
  recipient        text,
  kind             text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  last_error       text,
  provider_ref     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');

-- Payloads that could not be parsed are kept with the reason, never dropped.
CREATE TABLE rejects (
  id            bigserial PRIMARY KEY,
  channel       text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  raw           text NOT NULL,
  content_type  text,
  reason        text NOT NULL,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
