package dev.spool.coordinator.api;

/** The dashboard's API on the default queue: SQLite in the test's data directory. */
class SqliteDashboardApiTest extends DashboardApiContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
