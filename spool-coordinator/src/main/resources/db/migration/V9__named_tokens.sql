-- Named client tokens with a role and an expiry (issue 13): a token is revoked by marking it, so
-- a name can be given again once its token is revoked, and a revoked token is still shown as
-- refused rather than unknown to whoever reads the table. Same SQL on SQLite and PostgreSQL.
-- id: a public handle for a token (the start of its hash: 64 bits of a 192-bit secret's digest tell nothing).
ALTER TABLE tokens ADD COLUMN id VARCHAR(24);
ALTER TABLE tokens ADD COLUMN name VARCHAR(64);
-- role: admin, submit or read for client tokens; null for the join token and worker credentials
ALTER TABLE tokens ADD COLUMN role VARCHAR(16);
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_at BIGINT;
-- last_used_at: written at most once per Auth cache window per coordinator, client tokens only
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
UPDATE tokens SET id = 'tok_' || SUBSTR(hash, 1, 16);
-- the one client token the coordinator made at first start keeps working, as an admin named "initial"
UPDATE tokens SET role = 'admin', name = 'client-' || SUBSTR(hash, 1, 8) WHERE kind = 'client';
UPDATE tokens SET name = 'initial'
 WHERE hash = (SELECT hash FROM tokens WHERE kind = 'client' ORDER BY created_at, hash LIMIT 1);
CREATE UNIQUE INDEX tokens_live_name ON tokens (name) WHERE revoked_at IS NULL AND kind = 'client';
