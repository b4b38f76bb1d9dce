package dev.spool.coordinator.queue;

/** Lease ownership on a real PostgreSQL, a new database per test. */
class PostgresLeaseOwnershipTest extends LeaseOwnershipContract {
    private String url;

    @Override
    JobQueue newStore() {
        url = EmbeddedPostgres.shared().createDatabase("lease_ownership");
        return Database.postgres(url);
    }

    @Override
    String url() {
        return url;
    }

    @Override
    JobQueue reopen() {
        return Database.postgres(url);
    }
}
