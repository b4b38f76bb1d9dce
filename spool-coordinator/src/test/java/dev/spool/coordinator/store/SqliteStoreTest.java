package dev.spool.coordinator.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded SQLite file, a new directory per test. */
class SqliteStoreTest extends StoreContract {
    @TempDir Path dataDir;

    @Override
    Store newStore() {
        return Database.sqlite(dataDir);
    }
}
