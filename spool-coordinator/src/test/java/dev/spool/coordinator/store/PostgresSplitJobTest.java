package dev.spool.coordinator.store;

/** The split-job contract on a real PostgreSQL, a new database per test. */
class PostgresSplitJobTest extends SplitJobContract {
    @Override
    Store newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("split_jobs"));
    }
}
