-- Management: users and their sessions, integration revisions, the audit log.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,  -- lower-cased
  role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
  password_hash TEXT NOT NULL,         -- scrypt$N$r$p$salt$hash
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- Only the SHA-256 of each session token is kept.
CREATE TABLE sessions (
  token_hash             TEXT PRIMARY KEY,
  user_id                TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at             TEXT NOT NULL,
  expires_at_ms          INTEGER NOT NULL,
  absolute_expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Immutable snapshots of integrations; `record` is encrypted, as it holds the secrets.
CREATE TABLE integration_revisions (
  integration_id TEXT NOT NULL,
  revision       INTEGER NOT NULL,
  record         BLOB NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  changes        TEXT NOT NULL,        -- JSON: changed fields, secrets without values
  at             TEXT NOT NULL,
  PRIMARY KEY (integration_id, revision)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  changes     TEXT NOT NULL
);

CREATE INDEX attempts_by_time ON attempts (integration_id, at);
