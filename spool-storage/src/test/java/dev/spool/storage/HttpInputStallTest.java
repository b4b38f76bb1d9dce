package dev.spool.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spool.model.SpoolError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that trickles, or goes silent after its headers: the JDK's client alone would wait for
 * ever; the stall rule fails the attempt and the retry resumes where the bytes stopped.
 */
@Timeout(120)   // without the stall rule these downloads would never end
class HttpInputStallTest {
    /** Stalled below 100 kB in a second, or after a second with no byte at all. */
    private static final TransferStall STALL = new TransferStall(Duration.ofSeconds(1), Duration.ofSeconds(1), 100_000);
    private static final TransferRetry RETRY = new TransferRetry(3, Duration.ofMillis(50), Duration.ofMillis(100), STALL);
    private static final byte[] CONTENT = new byte[2_000_000];
    @TempDir Path dir;
    private HttpServer server;
    private final AtomicInteger gets = new AtomicInteger();
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        new Random(11).nextBytes(CONTENT);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());   // a trickling reply must not hold up the next
        server.createContext("/trickle.mp4", e -> serve(e, e.getRequestMethod().equals("GET") && gets.incrementAndGet() == 1
                ? Mode.TRICKLE : Mode.FULL));
        server.createContext("/silent.mp4", e -> serve(e, Mode.SILENT));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private enum Mode { FULL, TRICKLE, SILENT }

    private void serve(HttpExchange e, Mode mode) throws IOException {
        e.getResponseHeaders().add("ETag", "\"v1\"");
        if (e.getRequestMethod().equals("HEAD")) {
            e.getResponseHeaders().add("Content-Length", Integer.toString(CONTENT.length));
            e.sendResponseHeaders(200, -1);
            e.close();
            return;
        }
        String range = e.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
        if (range != null) e.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length);
        e.sendResponseHeaders(range == null ? 200 : 206, CONTENT.length - from);
        try (OutputStream out = e.getResponseBody()) {
            switch (mode) {
                case FULL -> out.write(CONTENT, from, CONTENT.length - from);
                case TRICKLE -> {
                    out.write(CONTENT, 0, 1000);
                    out.flush();
                    for (int i = 1000; i < CONTENT.length; i++) {   // then a byte every 50 ms, until the client gives up
                        out.write(CONTENT[i]);
                        out.flush();
                        sleep(50);
                    }
                }
                case SILENT -> {
                    out.flush();   // the headers go out; the body never comes
                    sleep(60_000);
                }
            }
        } catch (IOException clientLeft) {
            // the client gave up on this reply: that is the point
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aTricklingDownloadFailsItsAttemptAsAStallAndTheRetryResumes() throws Exception {
        List<String> notes = Collections.synchronizedList(new ArrayList<>());

        new HttpInput(url("/trickle.mp4"), RETRY, true).download(dir.resolve("t.mp4"), notes::add);

        assertThat(Files.readAllBytes(dir.resolve("t.mp4"))).isEqualTo(CONTENT);
        assertThat(notes).anyMatch(n -> n.contains("attempt 1 failed (stalled: ") && n.contains("bytes in the last"));
        assertThat(notes).anyMatch(n -> n.contains("resumes at byte"));
        assertThat(ranges.get(1)).as("the retry asked for the rest").startsWith("bytes=").isNotEqualTo("bytes=0-");
    }

    @Test
    void aServerSilentAfterItsHeadersFailsEachAttemptThenTheDownload() {
        List<String> notes = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> new HttpInput(url("/silent.mp4"), RETRY, true).download(dir.resolve("s.mp4"), notes::add))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.STORAGE);
                    assertThat(e.code().retryable()).isTrue();
                    assertThat(e.getMessage()).contains("stalled: ").contains("after 3 attempts");
                });
        assertThat(notes).filteredOn(n -> n.contains("failed (stalled: no data for ")).hasSize(2);
    }
}
