package dev.spool.coordinator.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The split-job contract on an embedded SQLite file. */
class SqliteSplitJobTest extends SplitJobContract {
    @TempDir Path dataDir;

    @Override
    Store newStore() {
        return Database.sqlite(dataDir);
    }
}
