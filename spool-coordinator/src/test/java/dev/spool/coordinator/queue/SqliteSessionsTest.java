package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Dashboard sessions on an embedded SQLite file. */
class SqliteSessionsTest extends SessionsContract {
    @TempDir Path dataDir;

    @Override
    JobQueue open() { return Database.sqlite(dataDir); }
}
