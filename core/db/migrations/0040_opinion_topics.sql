-- 舆情 topics: messages about one problem in one place, grouped as the workers process them.
-- A topic's id is stable: re-clustering keeps the id of the old topic holding most of a new
-- cluster's members; a topic absorbed by another keeps its row with merged_into set.
CREATE TABLE opinion_topics (
  id                  bigserial PRIMARY KEY,
  district            text,
  place               text,
  label               text NOT NULL DEFAULT '',
  label_terms         text[] NOT NULL DEFAULT '{}',
  -- summed term weights of the members (the top terms only), for assignment and labels
  centroid            jsonb NOT NULL DEFAULT '{}',
  anchors             jsonb NOT NULL DEFAULT '{}',
  size                integer NOT NULL DEFAULT 0,
  public_size         integer NOT NULL DEFAULT 0,
  negative            double precision NOT NULL DEFAULT 0,
  engagement          integer NOT NULL DEFAULT 0,
  channels            text[] NOT NULL DEFAULT '{}',
  districts           text[] NOT NULL DEFAULT '{}',
  first_at            timestamptz NOT NULL,
  last_at             timestamptz NOT NULL,
  representative_id   bigint,
  public_sample       text,
  heat                double precision NOT NULL DEFAULT 0,
  heat_parts          jsonb NOT NULL DEFAULT '{}',
  burst_state         text NOT NULL DEFAULT 'none' CHECK (burst_state IN ('none', 'new', 'burst')),
  burst_at            timestamptz,
  burst_score         double precision,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
  merged_into         bigint REFERENCES opinion_topics (id),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opinion_topics_active_idx ON opinion_topics (district, last_at) WHERE status = 'active';
CREATE INDEX opinion_topics_heat_idx ON opinion_topics (heat DESC) WHERE status = 'active';

-- one row a message: which topic it is in, and what the topic code read from it
CREATE TABLE opinion_topic_members (
  message_id     bigint PRIMARY KEY,
  topic_id       bigint NOT NULL REFERENCES opinion_topics (id),
  case_id        bigint,
  received_at    timestamptz NOT NULL,
  channel        text NOT NULL,
  district       text,
  is_public      boolean NOT NULL,
  negative       real NOT NULL DEFAULT 0,
  engagement     integer NOT NULL DEFAULT 0,
  similarity     real NOT NULL DEFAULT 0,
  terms          jsonb NOT NULL,
  anchors        text[] NOT NULL DEFAULT '{}',
  sample         text NOT NULL DEFAULT ''
);
CREATE INDEX opinion_topic_members_topic_idx ON opinion_topic_members (topic_id, received_at);
CREATE INDEX opinion_topic_members_received_idx ON opinion_topic_members (received_at);

-- hourly counts per topic and per district: trend lines and the burst detector's baseline
CREATE TABLE opinion_topic_hours (
  topic_id  bigint NOT NULL REFERENCES opinion_topics (id),
  hour      timestamptz NOT NULL,
  count     integer NOT NULL,
  PRIMARY KEY (topic_id, hour)
);
CREATE TABLE opinion_district_hours (
  district  text NOT NULL,
  hour      timestamptz NOT NULL,
  count     integer NOT NULL,
  PRIMARY KEY (district, hour)
);

-- the background corpus: in how many messages each term occurs (IDF, label distinctiveness)
CREATE TABLE opinion_terms (
  term  text PRIMARY KEY,
  df    integer NOT NULL
);

-- burst episodes, per topic or per district, as the detector raised them
CREATE TABLE opinion_bursts (
  id           bigserial PRIMARY KEY,
  scope        text NOT NULL CHECK (scope IN ('topic', 'district')),
  topic_id     bigint REFERENCES opinion_topics (id),
  district     text,
  started_at   timestamptz NOT NULL,
  last_at      timestamptz NOT NULL,
  observed     integer NOT NULL,
  expected     double precision NOT NULL,
  p_value      double precision NOT NULL,
  window_hours double precision NOT NULL
);
CREATE INDEX opinion_bursts_started_idx ON opinion_bursts (started_at DESC);
