-- The outbox's send attempts (issue 3): each claim writes an attempt key and its start, so a
-- takeover after a dead worker knows an earlier attempt may have reached the provider, and a
-- late worker whose lease was taken over cannot overwrite the row (writes are fenced by the key).
ALTER TABLE outbox ADD COLUMN attempt_key text;
ALTER TABLE outbox ADD COLUMN attempt_started_at timestamptz;
-- true when a row failed because an attempt's outcome could not be known (see core/outbox/send.ts)
ALTER TABLE outbox ADD COLUMN outcome_unknown boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_lease_idx ON outbox (locked_until) WHERE status = 'sending';
