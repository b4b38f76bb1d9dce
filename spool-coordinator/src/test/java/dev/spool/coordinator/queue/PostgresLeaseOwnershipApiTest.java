package dev.spool.coordinator.queue;

import dev.spool.coordinator.api.LeaseOwnershipApiContract;

/** Lease ownership over HTTP on PostgreSQL (here because {@link EmbeddedPostgres} is package-private). */
class PostgresLeaseOwnershipApiTest extends LeaseOwnershipApiContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
