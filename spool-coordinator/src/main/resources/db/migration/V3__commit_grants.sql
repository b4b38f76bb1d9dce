-- Commit grants: a transcode or package task makes its output visible only after the coordinator
-- granted one lease the commit (in the transaction that checks the lease, the job's state and any
-- earlier grant). commit_lease: the lease granted, whose staged output is the one committed;
-- commit_intent: where that lease staged it, so a later attempt can finish the same commit if
-- the granted worker dies half-way; commit_holder: the lease that may finish it now (the granted
-- one, or a later attempt's that adopted it); commit_granted_at: when.
ALTER TABLE tasks ADD COLUMN commit_lease VARCHAR(40);
ALTER TABLE tasks ADD COLUMN commit_intent TEXT;
ALTER TABLE tasks ADD COLUMN commit_holder VARCHAR(40);
ALTER TABLE tasks ADD COLUMN commit_granted_at BIGINT;
