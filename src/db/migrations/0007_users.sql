-- People who sign in to the web app. The email is unique across organisations so that
-- sign-in needs only email and password (the organisation follows from the user).
CREATE TABLE users (
  org_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  name text NOT NULL,
  -- scrypt$N$r$p$salt$hash (base64url); see src/services/auth/password.ts.
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'collector', 'accountant', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (email)
);

-- Browser sessions. The cookie carries a random token; only its SHA-256 is stored, so a
-- leaked table does not yield live sessions. Revoked or expired rows are refused.
CREATE TABLE sessions (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash char(64) NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (org_id, user_id) WHERE revoked_at IS NULL;
