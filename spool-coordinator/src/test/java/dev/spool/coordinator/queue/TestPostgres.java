package dev.spool.coordinator.queue;

/** The test JVM's PostgreSQL server, for tests outside this module (coordinators as separate processes). */
public final class TestPostgres {
    private TestPostgres() {}

    /** A new, empty database of this name on the shared server (started on first use); its JDBC URL. */
    public static String freshDatabase(String name) {
        return EmbeddedPostgres.shared().createDatabase(name);
    }
}
