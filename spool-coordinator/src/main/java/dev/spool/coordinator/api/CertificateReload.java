package dev.spool.coordinator.api;

import io.javalin.community.ssl.SslPlugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Swaps a renewed certificate into the running server (certbot rewrites the files every few
 * weeks): the files' times and sizes are looked at every few seconds, and a changed pair that
 * checks out is loaded; connections already open keep the old one. A half-written or mismatched
 * pair is left for the next look, and the certificate in use stays.
 */
final class CertificateReload implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(CertificateReload.class.getName());

    private final CoordinatorTls tls;
    private final SslPlugin plugin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spool-tls-reload");
        t.setDaemon(true);
        return t;
    });
    private List<Object> loaded;
    private List<Object> failed;

    CertificateReload(CoordinatorTls tls, SslPlugin plugin) {
        this.tls = tls;
        this.plugin = plugin;
        this.loaded = stamp();
    }

    void start() {
        timer.scheduleWithFixedDelay(this::look, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        List<Object> now = stamp();
        if (now.equals(loaded) || now.equals(failed)) return;
        try {
            CoordinatorTls.check(tls.cert(), tls.key());
            plugin.reload(tls::identity);
            loaded = now;
            failed = null;
            LOG.log(System.Logger.Level.INFO, "TLS certificate reloaded from " + tls.cert());
        } catch (RuntimeException e) {
            failed = now;   // said once per change, not every few seconds
            LOG.log(System.Logger.Level.WARNING, "TLS certificate not reloaded, the one in use stays: " + e.getMessage());
        }
    }

    private List<Object> stamp() {
        return List.of(stamp(tls.cert()), stamp(tls.key()));
    }

    private static Object stamp(java.nio.file.Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return List.of(time, Files.size(file));
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
