package dev.spool.coordinator.queue;

/** Worker control on a real PostgreSQL, a new database per test. */
class PostgresWorkerControlTest extends WorkerControlContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("worker_control"));
    }
}
