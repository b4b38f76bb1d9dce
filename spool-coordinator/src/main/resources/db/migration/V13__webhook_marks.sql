-- Webhooks by event id, not by timestamp (two events of a job can share a millisecond): the event
-- that started a job (its first lease) and the one that ended it (completed, failed for good or
-- cancelled) are marked on the job, so "started" and the final event are each planned once.
-- Jobs already started or ended are marked by their first lease and their last ending event.
ALTER TABLE jobs ADD COLUMN start_event BIGINT;
ALTER TABLE jobs ADD COLUMN end_event BIGINT;
UPDATE jobs SET start_event = (SELECT MIN(id) FROM events WHERE events.job_id = jobs.id AND events.type = 'leased')
 WHERE started_at IS NOT NULL;
UPDATE jobs SET end_event = (SELECT MAX(id) FROM events WHERE events.job_id = jobs.id
    AND events.type IN ('completed', 'failed', 'lease-expired', 'timed-out', 'cancelled'))
 WHERE state IN ('COMPLETED', 'FAILED', 'CANCELLED');

-- The claim on a delivery is a token as well as a time: only the coordinator holding the current
-- token records an attempt (one whose claim ran out and was taken by another cannot), and a
-- redelivery leaves a live claim alone.
ALTER TABLE webhook_deliveries ADD COLUMN claim_token VARCHAR(40);
