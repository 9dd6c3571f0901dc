-- 舆情 topic store, follow-up to 0040.
-- A message whose topic step keeps throwing is counted here; once it has failed
-- `TOPIC_MAX_ATTEMPTS` times the sweep stops retrying it (staff see the error), so one poison
-- message cannot stop re-clustering and heat refresh for everyone.
CREATE TABLE opinion_topic_errors (
  message_id  bigint PRIMARY KEY,
  attempts    integer NOT NULL DEFAULT 1,
  error       text NOT NULL,
  last_at     timestamptz NOT NULL
);

-- what the public may see of a topic is built from its public members only (label, place, terms)
ALTER TABLE opinion_topics ADD COLUMN public_label text;
ALTER TABLE opinion_topics ADD COLUMN public_place text;
ALTER TABLE opinion_topics ADD COLUMN public_label_terms text[] NOT NULL DEFAULT '{}';
