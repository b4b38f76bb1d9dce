package dev.spool.coordinator.queue;

/** Tasks over their time limit, on a real PostgreSQL. */
class PostgresOverdueTasksTest extends OverdueTasksTest {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("overdue_tasks"));
    }
}
