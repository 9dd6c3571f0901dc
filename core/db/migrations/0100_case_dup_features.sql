-- Duplicate detection (合并) that scales: what the duplicate score needs is stored with each case
-- when it opens, so finding and scoring candidates never re-reads their text.
-- keys: SimHash bands ('b0:ab12' … 4 bands of 16 bits: fingerprints within Hamming 3 share one),
-- problem objects ('t:…') and keywords ('k:…'); a candidate shares at least one key (GIN index).
CREATE TABLE case_dup_features (
  case_id     bigint PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  district    text,
  street      text,
  created_at  timestamptz NOT NULL,
  keys        text[] NOT NULL,
  bigrams     text[] NOT NULL,
  topics      text[] NOT NULL,
  buildings   text[] NOT NULL,
  keywords    text[] NOT NULL
);
CREATE INDEX case_dup_features_keys_idx ON case_dup_features USING gin (keys);
CREATE INDEX case_dup_features_district_idx ON case_dup_features (district, created_at);
CREATE INDEX case_dup_features_street_idx ON case_dup_features (street, created_at);
