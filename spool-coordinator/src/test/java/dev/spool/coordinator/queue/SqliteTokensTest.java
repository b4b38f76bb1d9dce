package dev.spool.coordinator.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The token table's contract on an embedded SQLite file. */
class SqliteTokensTest extends TokensContract {
    @TempDir Path dataDir;
    private Path current;

    @Override
    String newDatabase() {
        try {
            current = Files.createTempDirectory(dataDir, "db");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return "jdbc:sqlite:" + current.resolve(Database.SQLITE_FILE);
    }

    @Override
    Dialect dialect() { return new Dialect.Sqlite(); }

    @Override
    JobQueue open(String url) {
        return Database.sqlite(Path.of(url.substring("jdbc:sqlite:".length())).getParent());
    }
}
