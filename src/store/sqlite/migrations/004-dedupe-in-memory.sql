-- Message ids already processed are remembered in memory and recovered from the event log on
-- start (see recent-message-ids.ts): the table's random inserts cost a page write per event.
DROP INDEX IF EXISTS seen_messages_by_time;
DROP TABLE IF EXISTS seen_messages;
