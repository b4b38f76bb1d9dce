package dev.spool.coordinator.api;

/** The coordinator's HTTP contract on its default queue: SQLite in the test's data directory. */
class SqliteCoordinatorApiTest extends CoordinatorApiContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
