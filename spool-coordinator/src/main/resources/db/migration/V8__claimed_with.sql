-- Every lease is bound to the kind of credential that claimed it (issue 13): 'worker' for a worker's
-- own credential, 'join' for the shared join token (seed-001 workers, which have nothing else).
-- A report on a lease must come with the same kind, so the join token, which every worker shares,
-- cannot act on a lease a credentialed worker holds, whatever worker_id it names.
ALTER TABLE tasks ADD COLUMN claimed_with VARCHAR(8);
-- Leases live at the upgrade: a worker of the lease protocol (2) or later claimed with its
-- credential, an older one with the join token.
UPDATE tasks SET claimed_with = CASE WHEN EXISTS (SELECT 1 FROM workers w WHERE w.id = tasks.worker_id AND w.protocol >= 2)
    THEN 'worker' ELSE 'join' END WHERE lease_id IS NOT NULL;
