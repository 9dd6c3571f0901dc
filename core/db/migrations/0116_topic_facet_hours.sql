-- The cockpit's channel and category filters on 热点, 话题趋势 and 每月一题 (issue 10 items 7 and 8):
-- a topic's messages per hour cut by channel and category, so those reads answer from a rollup and
-- never scan messages per request.
--
-- A member carries its message's category as the NLP read it (analysis.category.label, fixed once
-- the message is processed; 'unknown' when nothing could be read), the same reading the message
-- rollups (rollup_messages) count by. Members stored before get it from their message here; the
-- worker's topic step writes it from now on (core/opinion/topics.ts).
ALTER TABLE opinion_topic_members ADD COLUMN category text NOT NULL DEFAULT 'unknown';
UPDATE opinion_topic_members t SET category = coalesce(nullif(m.analysis->'category'->>'label', ''), 'unknown')
FROM messages m WHERE m.id = t.message_id AND m.analysis IS NOT NULL;

-- Per topic, UTC hour, channel and category: how many of its members. Kept exact by a trigger on
-- every write to the members (the assignment's insert, re-clustering's moves and merges alike), so
-- no code path that moves a member can leave it behind; a row that reaches 0 is deleted (a week or
-- an hour listed has messages).
CREATE TABLE opinion_topic_facet_hours (
  topic_id  bigint NOT NULL REFERENCES opinion_topics (id),
  hour      timestamptz NOT NULL,
  channel   text NOT NULL,
  category  text NOT NULL,
  count     integer NOT NULL,
  PRIMARY KEY (topic_id, hour, channel, category)
);
CREATE INDEX opinion_topic_facet_hours_hour_idx ON opinion_topic_facet_hours (hour);

INSERT INTO opinion_topic_facet_hours (topic_id, hour, channel, category, count)
SELECT topic_id, date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', channel, category, count(*)::int
FROM opinion_topic_members GROUP BY 1, 2, 3, 4;

CREATE FUNCTION opinion_topic_facet_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.topic_id = OLD.topic_id AND NEW.received_at = OLD.received_at AND NEW.channel = OLD.channel AND NEW.category = OLD.category THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE opinion_topic_facet_hours SET count = count - 1
    WHERE topic_id = OLD.topic_id AND hour = date_trunc('hour', OLD.received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      AND channel = OLD.channel AND category = OLD.category AND count > 1;
    IF NOT FOUND THEN
      DELETE FROM opinion_topic_facet_hours
      WHERE topic_id = OLD.topic_id AND hour = date_trunc('hour', OLD.received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        AND channel = OLD.channel AND category = OLD.category;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO opinion_topic_facet_hours (topic_id, hour, channel, category, count)
    VALUES (NEW.topic_id, date_trunc('hour', NEW.received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', NEW.channel, NEW.category, 1)
    ON CONFLICT (topic_id, hour, channel, category) DO UPDATE SET count = opinion_topic_facet_hours.count + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER opinion_topic_members_facets AFTER INSERT OR DELETE OR UPDATE OF topic_id, received_at, channel, category ON opinion_topic_members
  FOR EACH ROW EXECUTE FUNCTION opinion_topic_facet_count();
