package dev.spool.coordinator.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Commit grants on an embedded SQLite file. */
class SqliteCommitGrantTest extends CommitGrantContract {
    @TempDir Path dataDir;

    @Override
    Store newStore() {
        return Database.sqlite(dataDir);
    }
}
