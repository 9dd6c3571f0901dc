-- 舆情预警 (issue 10 item 4): alert rules kept as data, alerts (one row per episode of a rule's
-- condition, per scope key), and every delivery attempt of an alert (the sends themselves go
-- through the outbox; this is their history, one row per try).
CREATE TABLE alert_rules (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  enabled      boolean NOT NULL DEFAULT true,
  -- the zod-checked definition (core/alerts/rule-schema.ts): keyword groups, scope, thresholds, targets
  definition   jsonb NOT NULL,
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  rule_id         bigint NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  -- the episode's scope: '' for a rule over its whole scope, 'district:镜湖区', 'topic:42'…
  scope_key       text NOT NULL DEFAULT '',
  district        text,
  topic_id        bigint,
  title           text NOT NULL,
  opened_at       timestamptz NOT NULL,
  -- the last time the condition held; the episode ends after the rule's quiet period without it
  last_true_at    timestamptz NOT NULL,
  ended_at        timestamptz,
  evidence        jsonb NOT NULL,
  acked_at        timestamptz,
  acked_by        text,
  ack_note        text
);
-- one open episode per rule and scope: two workers seeing the same condition open one alert
CREATE UNIQUE INDEX alerts_open_episode_idx ON alerts (rule_id, scope_key) WHERE ended_at IS NULL;
CREATE INDEX alerts_opened_idx ON alerts (opened_at DESC);

CREATE TABLE alert_delivery_attempts (
  id           bigserial PRIMARY KEY,
  alert_id     bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  outbox_id    bigint NOT NULL REFERENCES outbox (id),
  target       text NOT NULL CHECK (target IN ('webhook', 'email')),
  attempt      integer NOT NULL,
  at           timestamptz NOT NULL,
  ok           boolean NOT NULL,
  status_code  integer,
  error        text
);
CREATE INDEX alert_delivery_attempts_alert_idx ON alert_delivery_attempts (alert_id, id);
