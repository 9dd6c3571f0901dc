-- The alert list's category filter (GET /api/v1/alerts?category=, issue 10 item 7) reads the categories
-- of an alert's messages from its evidence (`evidence.categories`, written by the evaluator from now on).
-- Alerts stored before carry none: they get the categories of the messages their evidence quotes (its
-- five top messages — the rest of the window is not kept with the alert), and the next evaluation of an
-- open episode writes the whole window's.
UPDATE alerts a SET evidence = a.evidence || jsonb_build_object('categories', coalesce((
  SELECT jsonb_object_agg(c.category, c.n) FROM (
    SELECT coalesce(nullif(m.analysis->'category'->>'label', ''), 'unknown') AS category, count(*)::int AS n
    FROM jsonb_array_elements(a.evidence->'topMessages') t
    JOIN messages m ON m.id = (t->>'id')::bigint
    GROUP BY 1
  ) c), '{}'::jsonb))
WHERE NOT a.evidence ? 'categories' AND jsonb_typeof(a.evidence->'topMessages') = 'array';
