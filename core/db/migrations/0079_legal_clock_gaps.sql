-- The legal clock's two gaps (答复审核 and 待派单):
-- 1. reply_sent_at: when the reply reached the resident (at once, or on the centre's 审核通过);
--    按时办结 is counted from it, not from the department's reply time (replied_at), and it is
--    null while a reply waits for review.
-- 2. a case in 待派单 has a 派单 deadline of its own (sla_timers.deadline 'dispatch').
ALTER TABLE cases ADD COLUMN reply_sent_at timestamptz;
UPDATE cases c SET reply_sent_at = coalesce(
    (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.type = 'reply-approved' AND e.at >= c.replied_at),
    c.replied_at)
  WHERE c.replied_at IS NOT NULL AND NOT c.reply_pending;

ALTER TABLE sla_timers DROP CONSTRAINT sla_timers_deadline_check;
ALTER TABLE sla_timers ADD CONSTRAINT sla_timers_deadline_check CHECK (deadline IN ('dispatch', 'accept', 'response', 'resolve'));
