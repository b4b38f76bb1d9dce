package dev.spool.coordinator.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Lease ownership on an embedded SQLite file. */
class SqliteLeaseOwnershipTest extends LeaseOwnershipContract {
    @TempDir Path dataDir;

    @Override
    JobQueue newStore() {
        return Database.sqlite(dataDir);
    }

    @Override
    String url() {
        return "jdbc:sqlite:" + dataDir.resolve(Database.SQLITE_FILE);
    }

    @Override
    JobQueue reopen() {
        return Database.sqlite(dataDir);
    }
}
