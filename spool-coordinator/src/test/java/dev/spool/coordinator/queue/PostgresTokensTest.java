package dev.spool.coordinator.queue;

/** The token table's contract on a real PostgreSQL, a new database per test. */
class PostgresTokensTest extends TokensContract {
    @Override
    String newDatabase() { return EmbeddedPostgres.shared().createDatabase("tokens"); }

    @Override
    Dialect dialect() { return new Dialect.Postgres(); }

    @Override
    JobQueue open(String url) { return Database.postgres(url); }
}
