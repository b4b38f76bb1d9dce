-- Claims and syncs that cost the same at a thousand queued tasks as at a million, however much
-- finished work lies beside them (issue 12; `spool bench dispatch --queued`). Same SQL on SQLite
-- and PostgreSQL: both have partial and expression indexes.
-- tasks_queue: the claim's ORDER BY exactly, over QUEUED rows only, so the first row that fits the
-- worker is the answer: no sort of a (priority, created_at) group, no entry of a finished task.
CREATE INDEX tasks_queue ON tasks (priority, created_at, COALESCE(piece, -1), id) WHERE state = 'QUEUED';
-- tasks_worker: what one worker holds now (each sync's lease count and cancel notices, renewals,
-- hand-backs at deregistration and restart); the state index alone made a sync read every
-- CANCELLED task ever.
CREATE INDEX tasks_worker ON tasks (worker_id, state, lease_id);
-- tasks_lease_id: a sync that lists its leases asks which of them still exist; without it that
-- was a scan of every task (0.7 s at 800,000 tasks).
CREATE INDEX tasks_lease_id ON tasks (lease_id);
-- tasks_due: whether any queued task's backoff is over (the scheduler asks every tick); without
-- it PostgreSQL walked the table from the start, past every finished task, to the first queued one.
CREATE INDEX tasks_due ON tasks (not_before) WHERE state = 'QUEUED';
