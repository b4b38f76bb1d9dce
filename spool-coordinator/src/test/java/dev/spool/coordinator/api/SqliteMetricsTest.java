package dev.spool.coordinator.api;

/** The metrics on the default queue: SQLite in the test's data directory. */
class SqliteMetricsTest extends MetricsContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
