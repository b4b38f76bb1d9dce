package dev.spool.coordinator.queue;

import dev.spool.coordinator.api.MetricsContract;

/** The metrics on PostgreSQL: a fresh database per test on the embedded server. */
class PostgresMetricsTest extends MetricsContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
