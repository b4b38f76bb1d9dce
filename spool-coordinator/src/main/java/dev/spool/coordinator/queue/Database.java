package dev.spool.coordinator.queue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spool.model.SpoolError;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the coordinator's queue: an embedded SQLite file (WAL) by default, PostgreSQL when given
 * a jdbc:postgresql URL; either way the schema is brought up to date by Flyway first.
 */
public final class Database {
    public static final String SQLITE_FILE = "spool.db";

    private Database() {}

    public static JdbcJobQueue sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw SpoolError.output(dataDir.toString(), "cannot create the data directory: " + e.getMessage());
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE));
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "10000");
        config.addDataSourceProperty("foreign_keys", "true");
        return open(config, new Dialect.Sqlite());
    }

    public static JdbcJobQueue postgres(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) throw SpoolError.invalid("--db", "must be a jdbc:postgresql:// URL");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        return open(config, new Dialect.Postgres());
    }

    private static JdbcJobQueue open(HikariConfig config, Dialect dialect) {
        config.setMaximumPoolSize(dialect.maxPoolSize());
        config.setAutoCommit(false);   // every use is a transaction; saves a reset round trip per checkout
        config.setPoolName("spool-store");
        config.setInitializationFailTimeout(10_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new SpoolError(SpoolError.Code.STORAGE, "db", "cannot open the database " + config.getJdbcUrl() + ": "
                    + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                    .placeholders(Map.of("event_id", dialect.eventIdColumn(), "event_tx", dialect.eventTxDefault())).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new SpoolError(SpoolError.Code.STORAGE, "db", "cannot migrate the database schema: " + rootMessage(e), e);
        }
        return new JdbcJobQueue(dataSource, dialect);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
