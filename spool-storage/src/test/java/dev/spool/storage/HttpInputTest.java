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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP(S) inputs against a real HTTP server on loopback that honours ranges and can drop a response half-way. */
class HttpInputTest {
    private static final TransferRetry QUICK = new TransferRetry(5, Duration.ofMillis(50), Duration.ofMillis(200));
    private static final byte[] CONTENT = new byte[3_000_000];
    @TempDir Path dir;
    private HttpServer server;
    private final AtomicBoolean cutNext = new AtomicBoolean();
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(CONTENT);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/clip.mp4", this::serve);
        server.createContext("/gone.mp4", e -> { e.sendResponseHeaders(404, -1); e.close(); });
        server.createContext("/flaky.mp4", e -> { e.sendResponseHeaders(503, -1); e.close(); });
        server.createContext("/presigned.mp4", e -> {
            if (e.getRequestMethod().equals("HEAD")) {   // signed for GET only, like an S3 presigned URL
                e.sendResponseHeaders(403, -1);
                e.close();
                return;
            }
            serve(e);
        });
        server.createContext("/moved.mp4", e -> {
            e.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Serves CONTENT with ETag and Range support; when asked, stops after half the body and closes. */
    private void serve(HttpExchange e) throws IOException {
        e.getResponseHeaders().add("ETag", "\"v1\"");
        e.getResponseHeaders().add("Accept-Ranges", "bytes");
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
            if (cutNext.compareAndSet(true, false)) {
                out.write(CONTENT, from, (CONTENT.length - from) / 2);
                out.flush();
                throw new IOException("cut on purpose");   // the server drops the connection mid-body
            }
            out.write(CONTENT, from, CONTENT.length - from);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aDownloadCutHalfWayResumesWithARangeRequest() throws Exception {
        cutNext.set(true);
        List<String> notes = new ArrayList<>();
        HttpInput input = new HttpInput(url("/clip.mp4"), QUICK, true);

        input.download(dir.resolve("clip.mp4"), notes::add);

        assertThat(Files.readAllBytes(dir.resolve("clip.mp4"))).isEqualTo(CONTENT);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(notes).anyMatch(n -> n.contains("resumes at byte"));
        assertThat(input.name()).isEqualTo("clip.mp4");
    }

    @Test
    void aUrlSignedForGetOnlyIsSizedWithAOneByteRange() throws Exception {
        HttpInput input = new HttpInput(url("/presigned.mp4?X-Amz-Signature=secret"), QUICK, true);

        input.download(dir.resolve("p.mp4"), TransferLog.NONE);

        assertThat(Files.readAllBytes(dir.resolve("p.mp4"))).isEqualTo(CONTENT);
        assertThat(input.size()).isEqualTo(CONTENT.length);
    }

    @Test
    void aMissingFileFailsAtOnceAndAServerErrorAfterItsRetries() {
        assertThatThrownBy(() -> new HttpInput(url("/gone.mp4"), QUICK, true).download(dir.resolve("x"), TransferLog.NONE))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
                    assertThat(e.getMessage()).contains("/gone.mp4").contains("does not exist (HTTP 404)");
                });
        List<String> notes = new ArrayList<>();
        assertThatThrownBy(() -> new HttpInput(url("/flaky.mp4"), QUICK, true).download(dir.resolve("y"), notes::add))
                .isInstanceOfSatisfying(SpoolError.class, e -> {
                    assertThat(e.code()).isEqualTo(SpoolError.Code.STORAGE);
                    assertThat(e.getMessage()).contains("HTTP 503").contains("after 5 attempts");
                });
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowedAndEveryRedirectIsChecked() {
        assertThatThrownBy(() -> new HttpInput(url("/clip.mp4"), QUICK, false).download(dir.resolve("p"), TransferLog.NONE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("private address").contains("--allow-private-urls"));
        assertThatThrownBy(() -> new HttpInput(url("/moved.mp4"), QUICK, true).download(dir.resolve("r"), TransferLog.NONE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("link-local"));
        assertThat(ranges).as("nothing was fetched").isEmpty();
    }

    @Test
    void anUnknownHostIsAStorageErrorAndALinkLocalAddressIsRefused() {
        assertThatThrownBy(() -> new HttpInput(URI.create("http://no-such-host.invalid/a.mp4"), QUICK, true).download(dir.resolve("z"), TransferLog.NONE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("unknown host no-such-host.invalid"));
        assertThatThrownBy(() -> new HttpInput(URI.create("http://169.254.169.254/latest/meta-data/"), QUICK, true).download(dir.resolve("m"), TransferLog.NONE))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("link-local"));
    }

    @Test
    void loopbackAndMetadataInOtherSpellingsAreRefusedTheSameWay() {
        for (String host : List.of("0x7f000001", "0177.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "[::1]", "[::ffff:10.0.0.1]", "localhost"))
            assertThatThrownBy(() -> new HttpInput(URI.create("http://" + host + ":1/a.mp4"), QUICK, false).download(dir.resolve("s"), TransferLog.NONE))
                    .as(host).isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage())
                            .contains("which is a private address").contains("--allow-private-urls"));
        // java.net.URI finds no host in these (a registry authority): a worker takes them as URLs (parse), and
        // refuses them before any connection, even when private ones are allowed
        for (String host : List.of("127.1", "0x7f.1"))
            assertThat(HttpInput.parse("http://" + host + ":1/a.mp4")).as(host).isPresent();
        assertThatThrownBy(() -> HttpInput.parse("http:///a.mp4")).isInstanceOfSatisfying(SpoolError.class,
                e -> assertThat(e.getMessage()).contains("is not a URL: no host"));
        for (String host : List.of("127.1", "0x7f.1"))
            assertThatThrownBy(() -> new HttpInput(URI.create("http://" + host + ":1/a.mp4"), QUICK, true).download(dir.resolve("s"), TransferLog.NONE))
                    .as(host).isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("names no host that can be checked").contains("http://" + host + ":1/a.mp4"));
        for (String host : List.of("0xa9fea9fe", "[::ffff:a9fe:a9fe]", "[fd00:ec2::254]", "[fe80::1]"))
            assertThatThrownBy(() -> new HttpInput(URI.create("http://" + host + "/latest/meta-data/"), QUICK, true).download(dir.resolve("m"), TransferLog.NONE))
                    .as(host).isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("workers never fetch those"));
    }
}
