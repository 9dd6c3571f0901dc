-- Staff accounts with passwords, sessions and API tokens (issue 11). The bearer tokens that lived on
-- staff_users.token_hash become rows of api_tokens (same sha256, every scope), so a token issued
-- before this migration keeps working.
ALTER TABLE staff_users
  ADD COLUMN password_hash        text,
  ADD COLUMN password_changed_at  timestamptz,
  ADD COLUMN failed_logins        integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_until         timestamptz,
  ADD COLUMN last_login_at        timestamptz;

-- a department user is bound to its department (enforced here as well as in core/auth)
ALTER TABLE staff_users
  ADD CONSTRAINT staff_users_department_bound CHECK (role <> 'department' OR department_code IS NOT NULL) NOT VALID;

CREATE TABLE api_tokens (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES staff_users (id),
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  -- read: GET requests; write: every other request the role may make; admin: /api/v1/admin
  scopes        text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write', 'admin']::text[] AND cardinality(scopes) > 0),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text,
  last_used_at  timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_by)
SELECT id, 'default', token_hash, ARRAY['read', 'write', 'admin'], 'migration'
FROM staff_users WHERE token_hash IS NOT NULL;
ALTER TABLE staff_users DROP COLUMN token_hash;

-- browser sessions: only the sha256 of the cookie's value is stored
CREATE TABLE staff_sessions (
  id            bigserial PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES staff_users (id),
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  ip            text,
  user_agent    text
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id) WHERE revoked_at IS NULL;

-- the audit trail: who read a resident's personal data, and every staff action. Append-only: the
-- triggers refuse UPDATE, DELETE and TRUNCATE for every role but a superuser who drops them.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  actor_role  text,
  request_id  text,
  action      text NOT NULL,
  case_id     bigint,
  message_id  bigint,
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor, at DESC);
CREATE INDEX audit_log_case ON audit_log (case_id, at DESC) WHERE case_id IS NOT NULL;

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
