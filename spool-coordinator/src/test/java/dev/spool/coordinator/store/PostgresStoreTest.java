package dev.spool.coordinator.store;

/** The store contract on a real PostgreSQL, a new database per test. */
class PostgresStoreTest extends StoreContract {
    @Override
    Store newStore() {
        return Database.postgres(EmbeddedPostgres.shared().createDatabase("store_contract"));
    }
}
