package dev.spool.coordinator.webhooks;

/** Webhooks on the default queue: SQLite in the test's data directory. */
class SqliteWebhooksTest extends WebhooksContract {
    @Override
    protected String dbUrl(String name) {
        return null;
    }
}
