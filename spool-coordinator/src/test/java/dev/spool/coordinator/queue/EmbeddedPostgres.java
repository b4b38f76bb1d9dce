package dev.spool.coordinator.queue;

/**
 * The test JVM's PostgreSQL server: one {@link LocalPostgres}, started on first use, stopped and
 * deleted when the JVM exits. A failed start is rethrown to every later caller, so each test says why.
 */
final class EmbeddedPostgres {
    private static LocalPostgres shared;
    private static RuntimeException startFailure;

    private EmbeddedPostgres() {}

    static synchronized LocalPostgres shared() {
        if (startFailure != null) throw startFailure;
        if (shared == null) {
            try {
                long begun = System.nanoTime();
                shared = LocalPostgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
                System.err.printf("EmbeddedPostgres: ready on 127.0.0.1:%d in %d ms%n", shared.port(),
                        (System.nanoTime() - begun) / 1_000_000);
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }
}
