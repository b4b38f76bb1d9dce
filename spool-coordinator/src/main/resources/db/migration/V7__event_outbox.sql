-- The events table is the outbox that metrics and webhooks read, resuming after the last event
-- they saw. On PostgreSQL an id is taken when the row is inserted, not when its transaction
-- commits, so a reader resuming after id N could miss a smaller id committed later. Each row
-- therefore records its writing transaction (0 on SQLite, which has one writer at a time); a
-- reader orders by (tx, id) and takes only rows of transactions older than any still running.
ALTER TABLE events ADD COLUMN tx BIGINT NOT NULL DEFAULT ${event_tx};
CREATE INDEX events_outbox ON events (tx, id);
