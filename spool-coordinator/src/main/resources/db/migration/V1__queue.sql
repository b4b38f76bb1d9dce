-- Spool's durable queue. One schema for SQLite and PostgreSQL; ${event_id} is the only difference
-- (INTEGER PRIMARY KEY AUTOINCREMENT vs BIGSERIAL PRIMARY KEY). Times are epoch milliseconds.

CREATE TABLE jobs (
    id               VARCHAR(40)  PRIMARY KEY,
    state            VARCHAR(16)  NOT NULL,
    priority         INTEGER      NOT NULL,
    spec             TEXT         NOT NULL,
    idempotency_key  VARCHAR(128) UNIQUE,
    error            TEXT,
    manifest_url     TEXT,
    progress         DOUBLE PRECISION NOT NULL DEFAULT 0,
    fps              DOUBLE PRECISION NOT NULL DEFAULT 0,
    eta_sec          BIGINT       NOT NULL DEFAULT -1,
    cancel_requested INTEGER      NOT NULL DEFAULT 0,
    created_at       BIGINT       NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);
CREATE INDEX jobs_state_created ON jobs (state, created_at);

CREATE TABLE job_labels (
    job_id VARCHAR(40)  NOT NULL REFERENCES jobs (id),
    name   VARCHAR(64)  NOT NULL,
    value  VARCHAR(256) NOT NULL,
    PRIMARY KEY (job_id, name)
);
CREATE INDEX job_labels_lookup ON job_labels (name, value);

CREATE TABLE tasks (
    id               VARCHAR(40) PRIMARY KEY,
    job_id           VARCHAR(40) NOT NULL REFERENCES jobs (id),
    kind             VARCHAR(32) NOT NULL,
    state            VARCHAR(16) NOT NULL,
    priority         INTEGER     NOT NULL,
    encoder          VARCHAR(64) NOT NULL,
    min_height       INTEGER     NOT NULL,
    pool             VARCHAR(64) NOT NULL,
    attempt          INTEGER     NOT NULL DEFAULT 0,
    max_attempts     INTEGER     NOT NULL,
    not_before       BIGINT      NOT NULL,
    worker_id        VARCHAR(128),
    lease_id         VARCHAR(40),
    lease_expires_at BIGINT,
    progress         DOUBLE PRECISION NOT NULL DEFAULT 0,
    fps              DOUBLE PRECISION NOT NULL DEFAULT 0,
    eta_sec          BIGINT      NOT NULL DEFAULT -1,
    last_error       TEXT,
    result           TEXT,
    created_at       BIGINT      NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT
);
CREATE INDEX tasks_claim ON tasks (state, priority, created_at);
CREATE INDEX tasks_job ON tasks (job_id);
CREATE INDEX tasks_lease ON tasks (state, lease_expires_at);

CREATE TABLE workers (
    id              VARCHAR(128) PRIMARY KEY,
    protocol        INTEGER      NOT NULL,
    capabilities    TEXT         NOT NULL,
    pools           TEXT         NOT NULL,
    slots           INTEGER      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    hardware        TEXT,
    current_job_id  VARCHAR(40),
    registered_at   BIGINT       NOT NULL,
    last_seen_at    BIGINT       NOT NULL
);

CREATE TABLE tokens (
    hash       VARCHAR(64)  PRIMARY KEY,
    kind       VARCHAR(16)  NOT NULL,
    worker_id  VARCHAR(128),
    created_at BIGINT       NOT NULL
);

CREATE TABLE events (
    id        ${event_id},
    job_id    VARCHAR(40)  NOT NULL,
    task_id   VARCHAR(40),
    worker_id VARCHAR(128),
    type      VARCHAR(32)  NOT NULL,
    detail    TEXT,
    at        BIGINT       NOT NULL
);
CREATE INDEX events_job ON events (job_id, id);
