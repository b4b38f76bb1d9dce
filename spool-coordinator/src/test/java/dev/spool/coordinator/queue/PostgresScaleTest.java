package dev.spool.coordinator.queue;

/** The autoscaler's contract on a real PostgreSQL, a new database per test. */
class PostgresScaleTest extends ScaleContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("scale"));
    }
}
