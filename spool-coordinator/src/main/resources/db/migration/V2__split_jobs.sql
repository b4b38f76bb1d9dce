-- Split jobs: a job's tasks form a DAG (probe -> encode-video x N + encode-audio -> package).
-- piece: the piece an encode-video task renders; weight: its share of the job's progress (seconds
-- of video); jobs.split: the pieces the coordinator cut, from the probe's figures (JSON);
-- jobs.encoder_build: the ffmpeg build every piece of the job must come from, once pinned.
ALTER TABLE tasks ADD COLUMN piece INTEGER;
ALTER TABLE tasks ADD COLUMN weight DOUBLE PRECISION NOT NULL DEFAULT 1;
ALTER TABLE jobs ADD COLUMN split TEXT;
ALTER TABLE jobs ADD COLUMN encoder_build VARCHAR(128);
