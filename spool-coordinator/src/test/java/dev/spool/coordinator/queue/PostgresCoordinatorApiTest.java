package dev.spool.coordinator.queue;

import dev.spool.coordinator.api.CoordinatorApiContract;

/**
 * The coordinator's HTTP contract on PostgreSQL: a fresh database per test on the embedded server.
 * It lives here, not beside the contract, because {@link EmbeddedPostgres} is package-private.
 */
class PostgresCoordinatorApiTest extends CoordinatorApiContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
