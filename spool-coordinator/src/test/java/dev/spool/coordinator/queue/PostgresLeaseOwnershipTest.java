package dev.spool.coordinator.queue;

/** Lease ownership on a real PostgreSQL, a new database per test. */
class PostgresLeaseOwnershipTest extends LeaseOwnershipContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("lease_ownership"));
    }
}
