-- Progress a split job adds up from its pieces, and what a completed job produced.
-- tasks.frames_done: video frames a task has written, as its worker last said (NULL: it does not say);
-- tasks.speed, jobs.speed: media seconds encoded per wall second (a job: all its running tasks together).
-- jobs.frames_encoded, duration_seconds, output_size_bytes: seed 000's job result, measured on the
-- committed output by the worker that committed it (NULL when that worker did not say: seed 001).
ALTER TABLE tasks ADD COLUMN frames_done BIGINT;
ALTER TABLE tasks ADD COLUMN speed DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN speed DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN frames_encoded BIGINT;
ALTER TABLE jobs ADD COLUMN duration_seconds DOUBLE PRECISION;
ALTER TABLE jobs ADD COLUMN output_size_bytes BIGINT;
