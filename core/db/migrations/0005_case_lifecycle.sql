-- The case lifecycle (issue 5): the state machine's state beside the case columns it drives, the
-- SLA timers as rows (the source of truth a lost Redis is rebuilt from), and staff token use.

ALTER TABLE cases ADD COLUMN lifecycle jsonb;
ALTER TABLE cases ADD COLUMN awaiting_designation boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD COLUMN reopen_count integer NOT NULL DEFAULT 0;
CREATE INDEX cases_open_created_idx ON cases (created_at) WHERE status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');

-- One row per (deadline, kind, due time): a moved deadline gets new rows and the old ones are
-- cancelled, so a stale job finds nothing to do. A row fires once.
CREATE TABLE sla_timers (
  id          bigserial PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  deadline    text NOT NULL CHECK (deadline IN ('accept', 'response', 'resolve')),
  kind        text NOT NULL CHECK (kind IN ('remind', 'overdue', 'escalate')),
  due_at      timestamptz NOT NULL,
  fire_at     timestamptz NOT NULL,
  state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fired', 'cancelled')),
  fired_at    timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, deadline, kind, due_at)
);
CREATE INDEX sla_timers_pending_idx ON sla_timers (fire_at) WHERE state = 'pending';
CREATE INDEX sla_timers_case_idx ON sla_timers (case_id);

ALTER TABLE staff_users ADD COLUMN last_seen_at timestamptz;
