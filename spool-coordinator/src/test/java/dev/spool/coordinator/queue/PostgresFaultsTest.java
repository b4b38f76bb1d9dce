package dev.spool.coordinator.queue;

/** The faults contract on a real PostgreSQL, a new database per test. */
class PostgresFaultsTest extends FaultsContract {
    @Override
    JobQueue newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("faults"));
    }
}
