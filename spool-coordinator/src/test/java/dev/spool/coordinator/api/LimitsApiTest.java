package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.schedule.TaskTimeout;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.client.HttpApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits on the wire, against a real coordinator over HTTP: 429 RATE_LIMITED with Retry-After per
 * token and per address for bad tokens, health never limited, and body limits per route that are
 * enforced while the body is read.
 */
class LimitsApiTest {
    @TempDir Path dataDir;
    private Coordinator coordinator;
    private RawHttp http;

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    private void start(Limits limits) {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200), TaskTimeout.DEFAULT)
                .withLimits(limits), Clock.systemUTC());
        http = new RawHttp(coordinator.port());
    }

    @Test
    void aTokenOverItsRequestRateGets429WithRetryAfterAndTheUsualErrorShape() throws Exception {
        start(new Limits(new Limits.Rate(1, 3), null, null, Limits.UNLIMITED));
        String client = token("SPOOL_TOKEN");
        for (int i = 0; i < 3; i++) assertThat(http.get("/api/v1/jobs", client).status()).as("within the burst, " + i).isEqualTo(200);
        RawHttp.Reply limited = http.get("/api/v1/jobs", client);
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.error().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.error().path("message").asText()).contains("rate-limited").contains("--rate-limit");
        assertThat(limited.headers().firstValue("Retry-After")).as("whole seconds, rounded up").hasValue("1");
        Thread.sleep(1000);
        assertThat(http.get("/api/v1/jobs", client).status()).as("after Retry-After").isEqualTo(200);
    }

    @Test
    void eachTokenHasItsOwnBucket() throws Exception {
        start(new Limits(new Limits.Rate(1, 2), null, null, Limits.UNLIMITED));
        String client = token("SPOOL_TOKEN");
        http.get("/api/v1/jobs", client);
        http.get("/api/v1/jobs", client);
        assertThat(http.get("/api/v1/jobs", client).status()).isEqualTo(429);
        RawHttp.Reply worker = http.post("/api/v1/workers/register", token("SPOOL_JOIN_TOKEN"), """
                {"worker_id":"w1","protocol":3,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""");
        assertThat(worker.status()).as("another token, not limited by the client's: " + worker).isEqualTo(200);
    }

    @Test
    void healthIsNeverLimited() {
        start(new Limits(new Limits.Rate(1, 1), new Limits.Rate(1, 1), new Limits.Rate(1, 1), Limits.UNLIMITED));
        for (int i = 0; i < 50; i++) assertThat(http.get("/api/v1/health", null).status()).as("health " + i).isEqualTo(200);
        for (int i = 0; i < 20; i++) assertThat(http.get("/api/v1/health", "spool_c_guess" + i).status()).isEqualTo(200);
    }

    @Test
    void badOrMissingTokensAreCountedPerAddressAndThenRefusedWith429() {
        start(new Limits(null, null, new Limits.Rate(1, 3), Limits.UNLIMITED));
        assertThat(http.get("/api/v1/jobs", null).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/jobs", "spool_c_guess1").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/no-such-route", "spool_c_guess2").status()).as("unmatched routes count too").isEqualTo(401);
        RawHttp.Reply limited = http.get("/api/v1/jobs", "spool_c_guess3");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.error().path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.error().path("message").asText()).contains("bad or missing token");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(http.get("/api/v1/jobs", null).status()).as("a missing token as well").isEqualTo(429);
    }

    @Test
    void aBodyOverTheTokensByteRateIsReadAtThatRateAndTheTokensOtherRequestsWait() throws Exception {
        start(new Limits(null, new Limits.Rate(10_000, 20_000), null, Limits.UNLIMITED));
        String client = token("SPOOL_TOKEN");
        // a valid job padded with 60 kB of JSON whitespace: 40 kB over the burst, 4 s at 10 kB/s
        var big = http.send("POST", "/api/v1/jobs", client, CoordinatorApiContract.job("movies/a.mkv", "") + " ".repeat(60_000));
        Thread.sleep(500);
        RawHttp.Reply meanwhile = http.get("/api/v1/jobs", client);
        assertThat(meanwhile.status()).as("while the token is in debt: " + meanwhile).isEqualTo(429);
        assertThat(Long.parseLong(meanwhile.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 4L);
        assertThat(meanwhile.error().path("message").asText()).contains("--rate-limit-bytes");
        RawHttp.Reply done = big.join();
        assertThat(done.status()).as("the body was read whole: " + done).isEqualTo(201);
        assertThat(done.millis()).as("paced to 10 kB/s past the burst").isGreaterThanOrEqualTo(3000);
        Thread.sleep(1000);
        assertThat(http.get("/api/v1/jobs", client).status()).as("the debt repaid").isEqualTo(200);
    }

    @Test
    void eachRouteHasItsOwnBodyLimitNamedIn413() throws Exception {
        start(Limits.DEFAULTS);
        String credential = register();
        String padded = "{\"worker_id\":\"w1\",\"status\":\"IDLE\",\"current_job_id\":\"\"}" + " ".repeat(100 * 1024);
        RawHttp.Reply sync = http.postChunked("/api/v1/workers/sync", credential, padded);
        assertThat(sync.status()).as("100 KiB on sync: " + sync).isEqualTo(413);
        assertThat(sync.error().path("message").asText()).contains("64 KiB");
        RawHttp.Reply submit = http.postChunked("/api/v1/jobs", token("SPOOL_TOKEN"), CoordinatorApiContract.job("movies/a.mkv", "") + " ".repeat(100 * 1024));
        assertThat(submit.status()).as("the same size is within what a submit may be: " + submit).isEqualTo(201);
    }

    @Test
    void aLengthOverTheRoutesOwnLimitGets413WithoutWaitingForTheBody() throws Exception {
        start(Limits.DEFAULTS);
        long started = System.nanoTime();
        String status;
        try (Socket socket = new Socket("127.0.0.1", coordinator.port())) {
            socket.setSoTimeout((int) RawHttp.REQUEST_TIMEOUT.toMillis());
            // 2 MiB announced: over a submit's 1 MiB, under the 4 MiB refused before routing; its first 64 KiB
            // are sent, the rest never is (reading on for it held the request until the idle timeout, then 400)
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token("SPOOL_TOKEN")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 << 20) + "\r\n\r\n").getBytes());
            out.write(" ".repeat(64 * 1024).getBytes());
            out.flush();
            status = new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
        }
        assertThat(status).as("the reply to a submit announcing 2 MiB").contains(" 413 ");
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).as("answered without waiting for the body").isLessThan(5000);
    }

    @Test
    void aSyncBodyThatNeverEndsGets413QuicklyAndTheCoordinatorDoesNotBufferIt() throws Exception {
        start(Limits.DEFAULTS);
        String credential = register();
        long before = usedHeap();
        AtomicLong sent = new AtomicLong();
        long started = System.nanoTime();
        String status;
        try (Socket socket = new Socket("127.0.0.1", coordinator.port())) {
            socket.setSoTimeout((int) RawHttp.REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/workers/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + credential
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes());
            byte[] chunk = (Integer.toHexString(64 * 1024) + "\r\n" + " ".repeat(64 * 1024) + "\r\n").getBytes();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {   // up to 256 MiB, never the last chunk: the body does not end
                    for (int i = 0; i < 4096; i++) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException closed) {
                    // the coordinator answered and closed the connection: what this test wants
                }
            });
            status = new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
            writer.join(Duration.ofSeconds(10));
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(status).as("the reply to a sync body that never ends").contains(" 413 ");
        assertThat(millis).as("answered once the limit was passed").isLessThan(5000);
        // Jetty discards what follows the reply before it closes (so the client reads the 413 rather than a
        // reset): how much was sent says nothing; what the coordinator kept of it does
        assertThat(usedHeap() - before).as("heap growth, bytes").isLessThan(64L << 20);
    }

    @Test
    void anUploadPastMaxUploadBytesIsStoppedThereAndNothingIsStored() throws Exception {
        start(new Limits(null, null, null, 1 << 20));
        String client = token("SPOOL_TOKEN");
        RawHttp.Reply chunked = http.putChunked("/api/v1/files/big.bin", client, new byte[2 << 20]);
        assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
        assertThat(chunked.error().path("message").asText()).contains("1M (--max-upload-bytes)");
        RawHttp.Reply announced = http.put("/api/v1/files/big.bin", client, "x".repeat(2 << 20));
        assertThat(announced.status()).as("a Content-Length over the cap, before a byte is read").isEqualTo(413);
        assertThat(http.get("/api/v1/files/big.bin", client).status()).as("nothing stored").isEqualTo(404);
        assertThat(http.put("/api/v1/files/small.bin", client, "x".repeat(1000)).status()).isEqualTo(201);
    }

    @Test
    void spoolsClientWaitsOutRetryAfterAndThenSucceeds() throws Exception {
        start(new Limits(new Limits.Rate(1, 1), null, null, Limits.UNLIMITED));
        HttpApi api = new HttpApi(CoordinatorUrls.parse("http://127.0.0.1:" + coordinator.port()), token("SPOOL_TOKEN"));
        api.call("GET", "/api/v1/jobs", null, Duration.ofSeconds(10));
        long started = System.nanoTime();
        JsonNode second = api.call("GET", "/api/v1/jobs", null, Duration.ofSeconds(10));
        assertThat(second.isObject() || second.isArray()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited for Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    private String register() throws IOException {
        RawHttp.Reply registered = http.post("/api/v1/workers/register", token("SPOOL_JOIN_TOKEN"), """
                {"worker_id":"w1","protocol":3,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        return registered.json().path("credential").asText();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }
}
