package dev.spool.coordinator.store;

/** Commit grants on a real PostgreSQL, a new database per test. */
class PostgresCommitGrantTest extends CommitGrantContract {
    @Override
    Store newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("commit_grants"));
    }
}
