-- Deadlines counted through a year whose holiday file is not in lexicons/calendar yet use the
-- provisional calendar (core/cases/provisional-calendar.ts): the case keeps those years so that
-- staff and residents see the deadline is 暂定, and so the SLA sweep can find the cases to count
-- again once the official file arrives.
ALTER TABLE cases ADD COLUMN provisional_years integer[] NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN provisional boolean GENERATED ALWAYS AS (cardinality(provisional_years) > 0) STORED;
CREATE INDEX cases_provisional_idx ON cases USING gin (provisional_years) WHERE provisional;
