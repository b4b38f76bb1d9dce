package dev.spool.coordinator.queue;

/** The split-job contract on a real PostgreSQL, a new database per test. */
class PostgresSplitJobTest extends SplitJobContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("split_jobs"));
    }
}
