package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The events contract (listeners, outbox) on an embedded SQLite file. */
class SqliteEventsTest extends EventsContract {
    @TempDir Path dataDir;

    @Override
    JobQueue newStore() {
        return Database.sqlite(dataDir);
    }

    @Override
    String jdbcUrl() {
        return "jdbc:sqlite:" + dataDir.resolve(Database.SQLITE_FILE);
    }
}
