-- Faults (issue 10): what the coordinator needs to tell a dead or restarted worker, an outage and
-- a job that needs a person apart.
-- tasks.acked_at: when the worker first showed it has the assignment (a sync listing the lease or
-- naming the job, or progress); NULL while unacknowledged, and such a task is handed back.
-- coordinators: one row per coordinator process, its heartbeat; a silence of them all is an outage
-- during which no worker could be heard, so no lease may expire for it.
-- jobs.attention: why a FAILED job needs a person (retries used up), NULL when it does not.
ALTER TABLE tasks ADD COLUMN acked_at BIGINT;
-- leases granted before this version were in use already: not to be taken back as unacknowledged
UPDATE tasks SET acked_at = started_at WHERE state = 'LEASED';
ALTER TABLE jobs ADD COLUMN attention TEXT;
CREATE TABLE coordinators (
    id           VARCHAR(64) PRIMARY KEY,
    started_at   BIGINT      NOT NULL,
    last_seen_at BIGINT      NOT NULL
);
