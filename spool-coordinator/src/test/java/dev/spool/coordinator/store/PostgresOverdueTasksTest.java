package dev.spool.coordinator.store;

/** Tasks over their time limit, on a real PostgreSQL. */
class PostgresOverdueTasksTest extends OverdueTasksTest {
    @Override
    Store newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("overdue_tasks"));
    }
}
