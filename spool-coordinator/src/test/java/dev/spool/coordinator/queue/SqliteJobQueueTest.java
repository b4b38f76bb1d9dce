package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The queue contract on an embedded SQLite file, a new directory per test. */
class SqliteJobQueueTest extends JobQueueContract {
    @TempDir Path dataDir;

    @Override
    JobQueue newStore() {
        return Database.sqlite(dataDir);
    }
}
