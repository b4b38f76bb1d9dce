-- Worker control and the dashboard's job detail (issue 15).
-- control: the operator's word on a worker: ACTIVE, PAUSED (takes nothing until resumed) or
-- DRAINING (takes nothing; a Spool worker finishes what it runs, deregisters and exits). Every
-- claim reads it, whatever protocol the worker speaks; a re-registration keeps it.
ALTER TABLE workers ADD COLUMN control VARCHAR(16) NOT NULL DEFAULT 'ACTIVE';
-- log_tail: the last lines of the task's ffmpeg stderr as its worker last sent them (a JSON array
-- of at most 20 redacted lines of at most 300 characters), with progress and with a failure.
ALTER TABLE tasks ADD COLUMN log_tail TEXT;
-- what a worker ran lately (GET /api/v1/workers/{id}): its events, newest first
CREATE INDEX events_worker ON events (worker_id, id);
