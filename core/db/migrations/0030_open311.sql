-- Open311 GeoReport v2 is a channel of its own; its API keys are stored hashed (sha256 of a random
-- 32-byte key: a key is unguessable, so a slow hash adds nothing). Publication on the public board
-- (公开留言选登) needs the resident's consent: is_public now defaults to no.
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_channel_check;
ALTER TABLE messages ADD CONSTRAINT messages_channel_check CHECK (channel IN ('wechat', 'weibo', 'portal', 'hotline', 'open311'));
ALTER TABLE messages ALTER COLUMN is_public SET DEFAULT false;
-- Until now is_public defaulted to yes everywhere (the portal's box came ticked, Weibo set it on every
-- post): no stored message carries a consent anyone gave, so none is published.
UPDATE messages SET is_public = false WHERE is_public;

CREATE TABLE open311_keys (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Open311 requests are found by their token (the message's external id) and listed by time.
CREATE INDEX messages_open311_idx ON messages (received_at) WHERE channel = 'open311';

-- What an Open311 POST names beyond the message itself: the service it chose and the key that sent
-- it. Keyed by the token, which is also the message's external id; written before the message.
CREATE TABLE open311_requests (
  token            text PRIMARY KEY,
  service_code     text NOT NULL,
  key_id           bigint NOT NULL REFERENCES open311_keys (id),
  jurisdiction_id  text,
  attributes       jsonb NOT NULL DEFAULT '{}'::jsonb,
  media_url        text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
