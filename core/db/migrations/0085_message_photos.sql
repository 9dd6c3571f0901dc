-- Residents' photos (issue 12): JPEG/PNG checked by content and stored without their metadata
-- (core/photos/image.ts), in the database so both run modes keep them; linked to the resident's
-- message, from the portal form (in the message's own transaction) or added on the status page.
CREATE TABLE message_photos (
  id          bigserial PRIMARY KEY,
  message_id  bigint NOT NULL REFERENCES messages (id),
  added_via   text NOT NULL CHECK (added_via IN ('intake', 'status-page')),
  mime        text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
  width       integer NOT NULL CHECK (width > 0),
  height      integer NOT NULL CHECK (height > 0),
  byte_size   integer NOT NULL CHECK (byte_size > 0),
  sha256      text NOT NULL,
  -- the metadata segments and chunks that were removed (APP1, COM, tEXt…), for the record
  removed     text[] NOT NULL DEFAULT '{}',
  bytes       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, sha256)
);
CREATE INDEX message_photos_message_idx ON message_photos (message_id, id);
