package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The faults contract on an embedded SQLite file. */
class SqliteFaultsTest extends FaultsContract {
    @TempDir Path dataDir;

    @Override
    JobQueue newStore() {
        return Database.sqlite(dataDir);
    }
}
