package dev.spool.coordinator.api;

/** Lease ownership over HTTP on the default queue: SQLite in the test's data directory. */
class SqliteLeaseOwnershipApiTest extends LeaseOwnershipApiContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
