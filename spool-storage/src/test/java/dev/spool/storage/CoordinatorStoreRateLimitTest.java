package dev.spool.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.storage.ObjectLocation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator answering 429 is asked again after its Retry-After, not after the (shorter) backoff. */
class CoordinatorStoreRateLimitTest {
    /** Backoff of 10 ms: a retry sooner than Retry-After's second would show it was not honoured. */
    private static final TransferRetry QUICK = new TransferRetry(4, Duration.ofMillis(10), Duration.ofMillis(10));
    private static final byte[] CONTENT = "a file the coordinator keeps".getBytes();
    @TempDir Path dir;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void aDownloadRefusedWith429WaitsForRetryAfterAndThenSucceeds() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<Long> arrivals = new ArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/files/inputs/a.txt", e -> {
            synchronized (arrivals) {
                arrivals.add(System.nanoTime());
            }
            if (requests.incrementAndGet() <= 2) {
                e.getResponseHeaders().add("Retry-After", "1");
                e.sendResponseHeaders(429, -1);
            } else {
                e.getResponseHeaders().add("ETag", "\"1\"");
                e.getResponseHeaders().add("Content-Length", Integer.toString(CONTENT.length));
                if (e.getRequestMethod().equals("HEAD")) {
                    e.sendResponseHeaders(200, -1);
                } else {
                    e.sendResponseHeaders(200, CONTENT.length);
                    try (OutputStream out = e.getResponseBody()) {
                        out.write(CONTENT);
                    }
                }
            }
            e.close();
        });
        server.start();
        CoordinatorStore store = new CoordinatorStore(CoordinatorUrls.parse("http://127.0.0.1:" + server.getAddress().getPort()),
                () -> "token", QUICK);
        store.download(ObjectLocation.parse("spool://inputs/a.txt").orElseThrow(), dir.resolve("a.txt"), TransferLog.NONE);

        assertThat(Files.readAllBytes(dir.resolve("a.txt"))).isEqualTo(CONTENT);
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0))).as("two waits of Retry-After's 1 s")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aCoordinatorThatKeepsSaying429IsGivenUpOnSayingSo() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", e -> {
            e.getResponseHeaders().add("Retry-After", "1");
            e.sendResponseHeaders(429, -1);
            e.close();
        });
        server.start();
        CoordinatorStore store = new CoordinatorStore(CoordinatorUrls.parse("http://127.0.0.1:" + server.getAddress().getPort()),
                () -> "token", new TransferRetry(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.exists(ObjectLocation.parse("spool://inputs/a.txt").orElseThrow()))
                .isInstanceOfSatisfying(dev.spool.model.SpoolError.class, e -> assertThat(e.getMessage())
                        .contains("rate-limited by the coordinator (Retry-After 1 s)").contains("after 2 attempts"));
    }

    @Test
    void retryAfterIsWholeSecondsAndHeldToTheBound() {
        assertThat(RateLimited.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RateLimited.retryAfter("soon")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RateLimited.MAX_WAIT).isEqualTo(Duration.ofSeconds(30));
    }
}
