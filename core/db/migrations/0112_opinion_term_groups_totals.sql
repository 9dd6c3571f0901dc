-- Live generic words at scale (review of 0111): re-clustering read every (word, group) row to find
-- the words used often enough, and the category filter (grp LIKE 'c:%') could not use the primary
-- key under a non-C collation. Each word's total over the categories is now kept as a row of its own
-- (group ' all', a name no predicted category can have), so the words used often enough are read
-- from those rows only, and then their per-category rows by word through an index on term.
CREATE INDEX opinion_term_groups_term ON opinion_term_groups (term);

INSERT INTO opinion_term_groups (term, grp, df)
SELECT term, ' all', sum(df)::int FROM opinion_term_groups
WHERE grp COLLATE "C" >= 'c:' AND grp COLLATE "C" < 'c;'
GROUP BY term;
