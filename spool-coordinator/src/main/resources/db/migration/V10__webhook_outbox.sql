-- Webhook deliveries (issue 14). The events table is the outbox: a planner reads it after
-- webhook_cursor and writes one delivery per subscribed endpoint and event, advancing the cursor in
-- the same transaction, so an event is planned exactly once however many coordinators run and
-- whenever one dies. The cursor starts after the events already written: an upgraded database does
-- not call endpoints about its past.
CREATE TABLE webhook_cursor (
    name VARCHAR(32) PRIMARY KEY,
    tx   BIGINT      NOT NULL,
    id   BIGINT      NOT NULL
);
INSERT INTO webhook_cursor (name, tx, id) SELECT 'webhooks', COALESCE(MAX(tx), -1), COALESCE(MAX(id), 0) FROM events;

-- id is the Standard Webhooks webhook-id, the same on every attempt (receivers dedupe on it).
-- source says where the signing secret is: the job's spec ('job') or the coordinator's settings
-- ('coordinator'); the secret itself is never copied here. A delivery is claimed by one
-- coordinator at a time (claimed_until) while it is sent.
CREATE TABLE webhook_deliveries (
    id              VARCHAR(40) PRIMARY KEY,
    job_id          VARCHAR(40),
    event           VARCHAR(32) NOT NULL,
    url             TEXT        NOT NULL,
    source          VARCHAR(16) NOT NULL,
    format          VARCHAR(16) NOT NULL,
    payload         TEXT        NOT NULL,
    state           VARCHAR(16) NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at BIGINT      NOT NULL,
    claimed_until   BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      BIGINT      NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id);
CREATE INDEX webhook_deliveries_url ON webhook_deliveries (url, state);

-- The stats endpoint's "last hour": jobs ended since a time, without walking every finished job.
CREATE INDEX jobs_state_finished ON jobs (state, finished_at);

-- Endpoints that fail: since when (the first failed attempt after the last success), and whether
-- the coordinator has paused them (failing longer than --webhook-pause-after). A paused endpoint's
-- deliveries wait, unclaimed, until an operator resumes it; a success deletes the row.
CREATE TABLE webhook_endpoints (
    url           TEXT          PRIMARY KEY,
    failing_since BIGINT        NOT NULL,
    paused_at     BIGINT,
    last_error    TEXT
);
