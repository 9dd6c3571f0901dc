-- The board's page order is replied_at DESC NULLS LAST: the index of 0031 (DESC, so nulls first) could
-- not give it, and each page sorted every entry. This one reads a page in order and stops.
CREATE INDEX board_entries_order_idx ON board_entries (replied_at DESC NULLS LAST, case_id DESC);
