package dev.spool.coordinator.queue;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * LISTENs on PostgreSQL for work announced by any coordinator (a submit, a re-queue, a hand-back)
 * and wakes this coordinator's long-polling workers at once. Keeps its own connection, outside the
 * pool, and reconnects after a failure; missed notifications only cost the one-second re-check.
 */
final class WorkListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WorkListener.class.getName());
    private static final int POLL_MS = 1000;

    private final String url;
    private final Properties properties;
    private final Runnable callback;
    private final Thread thread;
    private volatile boolean closed;

    private WorkListener(String url, Properties properties, Runnable callback) {
        this.url = url;
        this.properties = properties;
        this.callback = callback;
        this.thread = Thread.ofVirtual().name("spool-work-listener").unstarted(this::listen);
    }

    static WorkListener start(String url, Properties properties, Runnable callback) {
        WorkListener listener = new WorkListener(url, properties, callback);
        listener.thread.start();
        return listener;
    }

    private void listen() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, properties)) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Dialect.Postgres.CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(POLL_MS);
                    if (notes != null && notes.length > 0) callback.run();
                }
            } catch (SQLException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "LISTEN connection lost (" + e.getMessage() + "); reconnecting");
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
