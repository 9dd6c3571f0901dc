-- Live generic words (issue 10.1): a word residents use about every kind of problem alike (加快, 尽快…)
-- says nothing about which problem a message is about. The seed corpus is too small to mark many of
-- them, so the topic code counts, per message it sees, each of its words under the message's
-- predicted category ('c:<category>') and its district ('d:<district>'); the ' docs' row of each
-- group counts the group's messages. Re-clustering mines the words spread evenly over the groups
-- (core/opinion/live-generic.ts) into opinion_generic_words, which assignment and labels read.
CREATE TABLE opinion_term_groups (
  term   text NOT NULL,
  grp    text NOT NULL,
  df     integer NOT NULL,
  PRIMARY KEY (grp, term)
);

CREATE TABLE opinion_generic_words (
  word      text PRIMARY KEY,
  docs      integer NOT NULL,
  groups    integer NOT NULL,
  evenness  real NOT NULL,
  mined_at  timestamptz NOT NULL
);
