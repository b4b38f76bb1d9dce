package dev.spool.coordinator.queue;

/** The queue contract on a real PostgreSQL, a new database per test. */
class PostgresJobQueueTest extends JobQueueContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("store_contract"));
    }
}
