-- Full-text search over Chinese text for the staff case list: the jieba tokens of the case's title,
-- summary, address and tracking number (core/cases/search.ts), stored as the lexemes themselves
-- (array_to_tsvector: no parser, no dictionary, no extension) with a GIN index; queries are segmented
-- the same way. NULL: not indexed yet (cases opened before this migration; indexed on first search).
ALTER TABLE cases ADD COLUMN search_tsv tsvector;
CREATE INDEX cases_search_idx ON cases USING gin (search_tsv);
CREATE INDEX cases_unindexed_idx ON cases (id) WHERE search_tsv IS NULL;
