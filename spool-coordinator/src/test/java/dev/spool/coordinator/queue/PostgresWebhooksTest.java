package dev.spool.coordinator.queue;

import dev.spool.coordinator.webhooks.WebhooksContract;

/** Webhooks on PostgreSQL: a fresh database per test on the embedded server. */
class PostgresWebhooksTest extends WebhooksContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
