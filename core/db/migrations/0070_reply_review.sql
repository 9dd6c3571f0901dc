-- 答复审核: a reply held for the centre's review (lexicons/review-policy.json) has not been sent; the
-- resident does not see it, and the review queue lists the cases whose reply waits.
ALTER TABLE cases ADD COLUMN reply_pending boolean NOT NULL DEFAULT false;
CREATE INDEX cases_reply_pending_idx ON cases (replied_at) WHERE reply_pending;
