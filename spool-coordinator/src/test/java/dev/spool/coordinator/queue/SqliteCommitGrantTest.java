package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Commit grants on an embedded SQLite file. */
class SqliteCommitGrantTest extends CommitGrantContract {
    @TempDir Path dataDir;

    @Override
    JobQueue newStore() {
        return Database.sqlite(dataDir);
    }
}
