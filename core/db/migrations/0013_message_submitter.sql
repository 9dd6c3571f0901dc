-- Who sent a portal submission, as a keyed hash of the caller's address (never the address itself):
-- an Idempotency-Key replays the first answer only to the caller that used it, with the same body.
ALTER TABLE messages ADD COLUMN submitter text;
