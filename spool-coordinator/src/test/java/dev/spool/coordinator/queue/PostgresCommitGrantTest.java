package dev.spool.coordinator.queue;

/** Commit grants on a real PostgreSQL, a new database per test. */
class PostgresCommitGrantTest extends CommitGrantContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("commit_grants"));
    }
}
