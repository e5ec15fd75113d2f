-- The event log, in a file of its own: append-only, read in `seq` order by the processor.
-- `received_at` (Unix ms) lets processed events be pruned once older than the retention.
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline_id TEXT NOT NULL,
  body        TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
