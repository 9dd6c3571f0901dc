-- Rollups (issue 10 item 8, issue 14 item 4): the counts and durations the dashboard and public
-- statistics answer from, kept current by the workers as messages are processed and cases change
-- state, and rebuilt from raw rows by `npm run cli -- rollups rebuild`. Unknown dimensions are ''
-- (a primary key cannot hold NULL). Times are bucketed by the local day (Asia/Shanghai): the figures
-- resolve to whole days, and a year of a megacity is a few hundred rows a day, not millions of messages.

-- Processed messages by the day they were received and by their own reading (the NLP's labels,
-- fixed once processed). A message is counted once: `rollup_counted` says it already is.
CREATE TABLE rollup_messages (
  day           date NOT NULL,
  district      text NOT NULL,
  category      text NOT NULL,
  channel       text NOT NULL,
  sentiment     text NOT NULL,
  request_type  text NOT NULL,
  n             integer NOT NULL,
  PRIMARY KEY (day, district, category, channel, sentiment, request_type)
);
ALTER TABLE messages ADD COLUMN rollup_counted boolean NOT NULL DEFAULT false;

-- Messages by the day received, channel and state (received, processing, processed, failed), kept
-- exact by a trigger on every write to messages (intake, processing, bulk loads alike). Spread over
-- 16 shards by message id so concurrent intake does not queue on one counter row.
CREATE TABLE rollup_message_states (
  day         date NOT NULL,
  channel     text NOT NULL,
  state       text NOT NULL,
  shard       smallint NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (day, channel, state, shard)
);

CREATE FUNCTION rollup_message_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.state = OLD.state AND NEW.channel = OLD.channel AND NEW.received_at = OLD.received_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO rollup_message_states (day, channel, state, shard, n)
    VALUES ((OLD.received_at AT TIME ZONE 'Asia/Shanghai')::date, OLD.channel, OLD.state, OLD.id % 16, -1)
    ON CONFLICT (day, channel, state, shard) DO UPDATE SET n = rollup_message_states.n - 1;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO rollup_message_states (day, channel, state, shard, n)
    VALUES ((NEW.received_at AT TIME ZONE 'Asia/Shanghai')::date, NEW.channel, NEW.state, NEW.id % 16, 1)
    ON CONFLICT (day, channel, state, shard) DO UPDATE SET n = rollup_message_states.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER messages_rollup_state AFTER INSERT OR DELETE OR UPDATE OF state, channel, received_at ON messages
  FOR EACH ROW EXECUTE FUNCTION rollup_message_state();

INSERT INTO rollup_message_states (day, channel, state, shard, n)
SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date, channel, state, id % 16, count(*)::int FROM messages GROUP BY 1, 2, 3, 4;

-- Cases by the day they were created (the resident's receipt), their dimensions and status, with
-- the counters behind the overview and the 三率. Each case's own contribution is kept in
-- rollup_case_facts, so a change applies exactly the difference, and replaying it changes nothing.
CREATE TABLE rollup_cases (
  day             date NOT NULL,
  district        text NOT NULL,
  category        text NOT NULL,
  channel         text NOT NULL,
  sentiment       text NOT NULL,
  request_type    text NOT NULL,
  department      text NOT NULL,
  status          text NOT NULL,
  n               integer NOT NULL DEFAULT 0,
  review          integer NOT NULL DEFAULT 0,
  overdue_open    integer NOT NULL DEFAULT 0,
  resp_due        integer NOT NULL DEFAULT 0,
  resp_hit        integer NOT NULL DEFAULT 0,
  on_time_due     integer NOT NULL DEFAULT 0,
  on_time_hit     integer NOT NULL DEFAULT 0,
  closed          integer NOT NULL DEFAULT 0,
  rated           integer NOT NULL DEFAULT 0,
  satisfied       integer NOT NULL DEFAULT 0,
  resolved_yes    integer NOT NULL DEFAULT 0,
  resolved_asked  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (day, district, category, channel, sentiment, request_type, department, status)
);
-- the current state (open, overdue, for review) sums the open statuses' rows over all days
CREATE INDEX rollup_cases_open_idx ON rollup_cases (status) WHERE status IN ('received', 'dispatched', 'accepted', 'waiting', 'returned');

-- Response (receipt → first substantive response) and resolution (receipt → reply) times per
-- department, as counts in fixed buckets (core/analytics/rollups.ts: DURATION_BUCKETS_MIN), enough
-- for the median and the 90th percentile within a bucket's width.
CREATE TABLE rollup_durations (
  day         date NOT NULL,
  district    text NOT NULL,
  category    text NOT NULL,
  channel     text NOT NULL,
  department  text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('response', 'resolution')),
  bucket      smallint NOT NULL,
  n           integer NOT NULL,
  PRIMARY KEY (day, district, category, channel, department, kind, bucket)
);

CREATE TABLE rollup_case_facts (
  case_id            bigint PRIMARY KEY REFERENCES cases (id),
  dims               jsonb NOT NULL,
  counters           integer[] NOT NULL,
  response_bucket    smallint,
  resolution_bucket  smallint,
  -- when a time-dependent counter of this case next changes (a deadline passing): the sweep re-counts it then
  flip_at            timestamptz,
  synced_at          timestamptz NOT NULL
);
CREATE INDEX rollup_case_facts_flip_idx ON rollup_case_facts (flip_at) WHERE flip_at IS NOT NULL;
