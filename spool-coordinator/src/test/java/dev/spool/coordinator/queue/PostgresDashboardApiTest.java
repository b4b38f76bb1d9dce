package dev.spool.coordinator.queue;

import dev.spool.coordinator.api.DashboardApiContract;

/** The dashboard's API on PostgreSQL: a fresh database per test on the embedded server, two coordinators where a test asks. */
class PostgresDashboardApiTest extends DashboardApiContract {
    @Override
    protected String dbUrl(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
