package dev.spool.coordinator.api;

/** The tokens API on the default queue: SQLite in the test's data directory. */
class SqliteTokensApiTest extends TokensApiContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
