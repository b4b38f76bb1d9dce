package dev.spool.coordinator.queue;

import dev.spool.coordinator.api.TokensApiContract;

/** The tokens API on PostgreSQL: a fresh database per test on the embedded server. */
class PostgresTokensApiTest extends TokensApiContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
