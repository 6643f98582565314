-- Accounts for people who sign in with a browser, their sessions, and the failed sign-ins that slow guessing.

-- username_key is the name folded for comparison (NFC, lower case: server/shared/accounts.ts), so "Lan" and "lan"
-- are one account; username keeps the name as it was written. The password is kept only as its scrypt, with its
-- salt and its cost parameters, so the cost can be raised later and old hashes still verify (then are redone).
CREATE TABLE users (
  username_key text PRIMARY KEY,
  username text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'clerk', 'inspector', 'leader')),
  units jsonb NOT NULL,
  password_salt text NOT NULL,
  password_hash text NOT NULL,
  password_params jsonb NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  last_login_at timestamptz
);

-- Only the sha256 of a session cookie is kept: a copy of the database signs nobody in.
CREATE TABLE sessions (
  hash text PRIMARY KEY,
  username_key text NOT NULL REFERENCES users (username_key) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (username_key);

-- One row per failed sign-in per key ('user:<name>', 'addr:<ip>'), kept for the throttle's window only. In the
-- store rather than in memory, so a restart does not reset it and several `serve` copies count together.
CREATE TABLE login_failures (
  key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
