package dev.spool.coordinator.store;

/** The faults contract on a real PostgreSQL, a new database per test. */
class PostgresFaultsTest extends FaultsContract {
    @Override
    Store newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("faults"));
    }
}
