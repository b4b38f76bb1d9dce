-- Autoscaling (issue 16): the desired worker count of each pool, kept in the database so every
-- coordinator on it publishes the same count and a restart keeps the cooldown. desired: the count
-- last decided; changed_at: when it last changed (the cooldown runs from there); low_since: since
-- when the policy has wanted fewer (a scale-down waits for the cooldown from both), NULL while it
-- does not; version: bumped by every write, so of two coordinators deciding at once only one's
-- change lands (and only that one runs --scale-exec).
CREATE TABLE scale_state (
    pool       VARCHAR(64) PRIMARY KEY,
    desired    INTEGER     NOT NULL,
    changed_at BIGINT      NOT NULL,
    low_since  BIGINT,
    version    BIGINT      NOT NULL
);
