-- 舆情日报 / 周报 (issue 10 item 6): each report kept whole, its figures (data) and its HTML; the PDF
-- is drawn from the same figures on request. One report per kind and period.
CREATE TABLE reports (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('daily', 'weekly')),
  period_start  date NOT NULL,
  period_end    date NOT NULL,
  made_at       timestamptz NOT NULL DEFAULT now(),
  data          jsonb NOT NULL,
  html          text NOT NULL,
  UNIQUE (kind, period_start)
);
