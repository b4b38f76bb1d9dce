package dev.spool.coordinator.queue;

/** Dashboard sessions on a real PostgreSQL, a new database per test. */
class PostgresSessionsTest extends SessionsContract {
    @Override
    JobQueue open() { return Database.postgres(EmbeddedPostgres.shared().createDatabase("sessions")); }
}
