-- Board entries were stored with the title repeated at the head of the body (the case summary is
-- "标题。正文"); drop them so the board rebuilds each one, title once, on its next read.
DELETE FROM board_entries;
