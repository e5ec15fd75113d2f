-- The whole schema of the embedded store. Times are ISO 8601 text where people read them and
-- integer milliseconds where the queue compares them.

CREATE TABLE pipelines (
  id          TEXT PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  body        TEXT NOT NULL,          -- JSON: everything but the HMAC secret
  hmac_secret BLOB,                   -- encrypted
  updated_at  TEXT NOT NULL
);

CREATE TABLE integrations (
  id         TEXT PRIMARY KEY,
  vendor     TEXT NOT NULL,
  body       TEXT NOT NULL,           -- JSON: name, preset, mappings, consent, delivery settings
  config     BLOB NOT NULL,           -- encrypted JSON: vendor settings, secrets included
  updated_at TEXT NOT NULL
);

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The event log: append-only, read in `seq` order by the processor.
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline_id TEXT NOT NULL,
  body        TEXT NOT NULL
);

CREATE TABLE cursors (
  name TEXT PRIMARY KEY,
  seq  INTEGER NOT NULL
);

CREATE TABLE seen_messages (
  pipeline_id TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  seen_at     INTEGER NOT NULL,
  PRIMARY KEY (pipeline_id, message_id)
) WITHOUT ROWID;

CREATE TABLE profiles (
  id         TEXT PRIMARY KEY,        -- user:<userId> or anon:<anonymousId>
  body       TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE identity_links (
  anonymous_id TEXT PRIMARY KEY,
  profile_id   TEXT NOT NULL
) WITHOUT ROWID;

-- The delivery queue: per (integration, profile key) at most one waiting and one in-flight row.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  integration_id  TEXT NOT NULL,
  profile_key     TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('waiting', 'in_flight')),
  attributes      TEXT NOT NULL,
  message_ids     TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  claim_id        TEXT,               -- set by each claim; outcomes of an older claim are ignored
  last_error      TEXT,
  created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX deliveries_one_per_state ON deliveries (integration_id, profile_key, state);
CREATE INDEX deliveries_due ON deliveries (integration_id, state, next_attempt_at);

-- What the vendor holds for each key, as far as we know: the basis of "unchanged" detection.
CREATE TABLE delivered_state (
  integration_id TEXT NOT NULL,
  profile_key    TEXT NOT NULL,
  attributes     TEXT NOT NULL,
  delivered_at   INTEGER NOT NULL,
  PRIMARY KEY (integration_id, profile_key)
) WITHOUT ROWID;

CREATE TABLE attempts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id    INTEGER NOT NULL,
  integration_id TEXT NOT NULL,
  profile_key    TEXT NOT NULL,
  attempt        INTEGER NOT NULL,
  outcome        TEXT NOT NULL,
  status         INTEGER,
  error          TEXT,
  latency_ms     INTEGER NOT NULL,
  exchanges      TEXT NOT NULL,
  at             TEXT NOT NULL
);
CREATE INDEX attempts_by_integration ON attempts (integration_id, id);

CREATE TABLE dead_letters (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  integration_id TEXT NOT NULL,
  profile_key    TEXT NOT NULL,
  attributes     TEXT NOT NULL,
  message_ids    TEXT NOT NULL,
  attempts       INTEGER NOT NULL,
  error          TEXT NOT NULL,
  failed_at      TEXT NOT NULL
);
CREATE INDEX dead_letters_by_integration ON dead_letters (integration_id, profile_key);

CREATE TABLE drops (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id     TEXT NOT NULL,
  pipeline_id    TEXT NOT NULL,
  integration_id TEXT,
  reason         TEXT NOT NULL,
  at             TEXT NOT NULL
);
