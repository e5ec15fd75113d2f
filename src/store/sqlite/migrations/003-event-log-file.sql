-- The event log moved to a file of its own (see event-log.ts): the gateway writes it without
-- waiting for the processor's transactions. Events of an older file were copied there before
-- this migration runs.
DROP TABLE IF EXISTS events;

-- What the vendor holds per attribute, and since when: a replayed dead letter must not bring back
-- a value that a later delivery already replaced.
ALTER TABLE delivered_state ADD COLUMN attribute_times TEXT NOT NULL DEFAULT '{}';

CREATE INDEX IF NOT EXISTS seen_messages_by_time ON seen_messages (seen_at);
CREATE INDEX IF NOT EXISTS drops_by_time ON drops (at);
