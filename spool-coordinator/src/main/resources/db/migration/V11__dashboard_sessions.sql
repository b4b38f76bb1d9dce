-- The dashboard (issue 15). A browser signs in with a client token and gets a session cookie; the
-- session is a row here, so any coordinator on the database accepts it. Only hashes are stored:
-- id_hash is the SHA-256 of the cookie's value, token_hash the hash of the token it was made from
-- (tokens.hash), so a revoked or expired token refuses its sessions on the next request. A session
-- lasts 12 h; expired rows are refused on lookup and swept by the scheduler.
CREATE TABLE dashboard_sessions (
    id_hash    VARCHAR(64) PRIMARY KEY,
    token_hash VARCHAR(64) NOT NULL,
    csrf_token VARCHAR(64) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);

-- The jobs list's text search (GET /api/v1/jobs?q=): the input, the output and the label values of
-- a job, lower-cased, one per line, written at submit. A substring is matched against this short
-- column, not the spec; jobs submitted before this version have none and are matched against their spec.
ALTER TABLE jobs ADD COLUMN search TEXT;
-- Newest first, the list's order: a page (and a search that finds its page early) walks this index
-- from the top and stops, instead of sorting every job.
CREATE INDEX jobs_created ON jobs (created_at, id);
