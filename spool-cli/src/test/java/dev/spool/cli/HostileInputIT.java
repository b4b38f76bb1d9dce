package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's hostile-input suite: every request and job that was tried against a coordinator and
 * a worker confined with {@code --root}, each with the outcome it must get. One coordinator and one
 * worker (real processes) serve them all; a sibling "outside" directory holds a secret and a video
 * that nothing may read or change. The coordinator's admin token makes the suite's other tokens
 * (read, submit, one revoked at once, one for the rate limit) as any administrator would.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class HostileInputIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final AtomicInteger PASSED = new AtomicInteger();

    @TempDir static Path dir;
    private static Cluster cluster;
    private static Path root;
    private static Path outside;
    private static Map<String, String> outsideBefore;
    private static boolean atimeTells;
    private static HostileRequests.Target target;
    /** A loopback server of playlists naming the outside video: a worker without --allow-private-urls must never call it. */
    private static com.sun.net.httpserver.HttpServer playlists;
    private static final AtomicInteger PLAYLIST_REQUESTS = new AtomicInteger();
    private static final Map<HostileJobs.Case, String> submitted = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.copy(TestMedia.small(1), outside.resolve("secret.mp4"));
        Files.writeString(outside.resolve("secret.txt"), "the outside secret\n");
        outsideBefore = hashes(outside);   // before the access times are set: hashing reads the files
        atimeTells = markUnread(outside);
        playlists = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        byte[] playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + outside.resolve("secret.mp4") + "\n#EXT-X-ENDLIST\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        playlists.createContext("/", exchange -> {
            PLAYLIST_REQUESTS.incrementAndGet();
            exchange.sendResponseHeaders(200, playlist.length);
            try (var body = exchange.getResponseBody()) {
                body.write(playlist);
            }
        });
        playlists.start();
        cluster = new Cluster(dir);
        // one retry, a second apart: a case that fails "the same way twice" ends in seconds, not minutes
        cluster.startCoordinator("--heartbeat", "1", "--max-retries", "1", "--retry-delay", "1", "--backoff", "1",
                "--rate-limit", HostileRequests.RATE_LIMIT);
        cluster.startWorker("hostile-worker", "--root", root.toString(), "--slots", "2");
        // registered, so it holds its own credential before the join token tries to speak for it
        dev.spool.model.testing.Poll.until(Duration.ofMinutes(1), "hostile-worker registers",
                () -> RawSocketHttp.send(cluster.port(), "GET", "/api/v1/workers", cluster.clientToken(), null).body(),
                body -> body.contains("\"hostile-worker\""));
        Map<HostileRequests.Who, String> tokens = new java.util.EnumMap<>(HostileRequests.Who.class);
        tokens.put(HostileRequests.Who.ADMIN, cluster.clientToken());
        tokens.put(HostileRequests.Who.READ, createToken("hostile-read", "read"));
        tokens.put(HostileRequests.Who.SUBMIT, createToken("hostile-submit", "submit"));
        tokens.put(HostileRequests.Who.LIMITED, createToken("hostile-limited", "read"));
        tokens.put(HostileRequests.Who.REVOKED, createToken("hostile-revoked", "submit"));
        RawSocketHttp.Reply revoked = RawSocketHttp.send(cluster.port(), "DELETE", "/api/v1/tokens/hostile-revoked", cluster.clientToken(), null);
        assertThat(revoked.status()).as("revoking hostile-revoked: " + revoked.body()).isEqualTo(200);
        tokens.put(HostileRequests.Who.JOIN, cluster.joinToken());
        tokens.put(HostileRequests.Who.WORKER, registerProbeWorker());
        target = new HostileRequests.Target(cluster.port(), tokens, null);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.println("hostile cases: " + CASES.get() + ", passed " + PASSED.get()
                + (atimeTells ? "" : " (this file system keeps no access times: 'never read' was judged by hashes only)"));
        if (cluster != null) cluster.close();
        if (playlists != null) playlists.stop(0);
    }

    @TestFactory
    Stream<DynamicNode> hostileInputs() throws Exception {
        List<HostileJobs.Case> jobs = HostileJobs.prepare(root, outside, TestMedia.small(1),
                "http://127.0.0.1:" + playlists.getAddress().getPort());
        for (HostileJobs.Case job : jobs) submitted.put(job, submit(job));
        // the first job is hostile-worker's to lease (or to have failed): the requests that act on a job use it
        target = target.withJob(submitted.values().iterator().next());
        List<DynamicNode> requests = HostileRequests.all().stream()
                .map(c -> (DynamicNode) DynamicTest.dynamicTest(c.name(), () -> counted(() -> check(c)))).toList();
        List<DynamicNode> attacks = jobs.stream()
                .map(c -> (DynamicNode) DynamicTest.dynamicTest(c.name(), () -> counted(() -> check(c)))).toList();
        return Stream.of(DynamicContainer.dynamicContainer("requests", requests), DynamicContainer.dynamicContainer("jobs", attacks),
                DynamicTest.dynamicTest("nothing outside the root changed, no job is stuck, an honest job completes",
                        () -> counted(HostileInputIT::afterwards)));
    }

    private static void check(HostileRequests.Case c) throws Exception {
        RawSocketHttp.Reply reply = c.sendRepeated(target);
        String said = c.method() + " " + abbreviated(c.path()) + " -> " + reply.status() + " " + reply.body();
        System.out.println("hostile request '" + c.name() + "': " + reply.status() + " " + reply.body());
        assertThat(reply.status()).as(said).isEqualTo(c.status());
        assertThat(reply.json()).as("a JSON answer: " + said).isTrue();
        assertNoInternals(reply.body(), said);
        JsonNode error = JSON.readTree(reply.body()).path("error");
        assertThat(error.path("code").asText()).as(said).isEqualTo(c.code());
        assertThat(error.path("message").asText()).as(said).contains(c.fragment());
        if (c.field() != null) assertThat(error.path("field").asText()).as("the field named: " + said).isEqualTo(c.field());
        if (c.status() == 429)
            assertThat(reply.headers().toLowerCase(java.util.Locale.ROOT)).as("a Retry-After header: " + reply.headers())
                    .containsPattern("\r\nretry-after: [1-9][0-9]*(\r|$)");
    }

    private static void check(HostileJobs.Case c) throws Exception {
        String id = submitted.get(c);
        JsonNode job = cluster.awaitJob(id, HostileInputIT::ended, JOB_TIMEOUT);
        String said = c.input() + " -> " + job.path("state").asText() + ": " + job.path("error").asText();
        System.out.println("hostile job '" + c.name() + "': " + said);
        assertThat(job.path("state").asText()).as(said).isEqualTo(c.state());
        String error = job.path("error").asText();
        assertNoInternals(error, said);
        assertThat(error).as("the error names the job's own input or output: " + said).contains(c.named());
        if (c.errorFragment() != null) assertThat(error).as(said).contains(c.errorFragment());
        assertThat(error).as("nothing of the worker's own: " + said).doesNotContain(dir.resolve("cache-hostile-worker").toString());
        if (!c.input().startsWith(root.toString()) && !c.output().startsWith(root.toString()))
            assertThat(error).as("the worker's --root stays its own: " + said).doesNotContain(root.toString());
        if (c.input().startsWith(root.toString()))
            assertThat(error).as("where a link leads stays the worker's: " + said).doesNotContain(outside + "/secret");
        assertThat(Path.of(c.output())).as("no output was written for " + c.name()).doesNotExist();
    }

    private static void afterwards() throws Exception {
        if (atimeTells) {   // first: hashing reads the files
            assertThat(lastAccess(outside.resolve("secret.mp4"))).as("the outside video was never read").isEqualTo(UNREAD);
            assertThat(lastAccess(outside.resolve("secret.txt"))).as("the outside secret was never read").isEqualTo(UNREAD);
        }
        assertThat(hashes(outside)).as("every file outside the root as it was, and no new ones").isEqualTo(outsideBefore);
        assertThat(PLAYLIST_REQUESTS.get()).as("requests that reached the loopback playlist server").isZero();
        for (String id : submitted.values()) {
            JsonNode job = cluster.job(id);
            assertThat(ended(job)).as("job " + id + " is terminal: " + job).isTrue();
            assertThat(job.toString()).as("no finalize with a forged manifest was taken: " + job).doesNotContain("/forged/");
        }
        Path honest = Files.copy(TestMedia.small(1), root.resolve("honest.mp4"));
        String id = cluster.submit(honest, root.resolve("honest-out"), "240p");
        JsonNode job = cluster.awaitJob(id, HostileInputIT::ended, JOB_TIMEOUT);
        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        Verified.output(root.resolve("honest-out"));
    }

    /** Runs a case, counting it and whether it passed. */
    private static void counted(org.junit.jupiter.api.function.Executable check) throws Throwable {
        CASES.incrementAndGet();
        check.execute();
        PASSED.incrementAndGet();
    }

    private static String submit(HostileJobs.Case c) throws Exception {
        String body = JSON.writeValueAsString(Map.of("input", c.input(), "output", c.output(),
                "outputs", List.of(Map.of("resolution", "240p"))));
        RawSocketHttp.Reply reply = RawSocketHttp.send(cluster.port(), "POST", "/api/v1/jobs", cluster.clientToken(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(reply.status()).as(c.name() + " is accepted for a worker to judge: " + reply.body()).isEqualTo(201);
        return JSON.readTree(reply.body()).path("job_id").asText();
    }

    /** A named client token made with the admin token, as {@code spool tokens create NAME --role ROLE} would. */
    private static String createToken(String name, String role) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("name", name, "role", role));
        RawSocketHttp.Reply reply = RawSocketHttp.send(cluster.port(), "POST", "/api/v1/tokens", cluster.clientToken(), body);
        assertThat(reply.status()).as("creating token " + name + ": " + reply.body()).isEqualTo(201);
        return JSON.readTree(reply.body()).path("token").asText();
    }

    /** A worker credential of its own (registered with the join token), holding no task. */
    private static String registerProbeWorker() throws Exception {
        String body = "{\"worker_id\":\"hostile-probe\",\"capabilities\":{\"supported_codecs\":[\"libx264\"]},\"protocol\":5}";
        RawSocketHttp.Reply reply = RawSocketHttp.send(cluster.port(), "POST", "/api/v1/workers/register", cluster.joinToken(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body()).path("credential").asText();
    }

    private static boolean ended(JsonNode job) {
        return Set.of("COMPLETED", "FAILED", "CANCELLED").contains(job.path("state").asText());
    }

    private static void assertNoInternals(String text, String said) {
        assertThat(text).as("no stack trace or Java type: " + said).doesNotContain("Exception", "java.", "\tat ", "dev.spool.", "com.fasterxml", "`");
    }

    private static String abbreviated(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    private static final Instant UNREAD = Instant.parse("2001-01-01T00:00:00Z");

    /**
     * Sets every outside file's access time before its modification time, so that under Linux's
     * relatime the first read moves it; whether this file system keeps access times at all is tried
     * on a file of its own.
     */
    private static boolean markUnread(Path outside) throws Exception {
        Path probe = Files.writeString(dir.resolve("atime-probe"), "x");
        Files.getFileAttributeView(probe, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(null, FileTime.from(UNREAD), null);
        Files.readAllBytes(probe);
        boolean tells = !lastAccess(probe).equals(UNREAD);
        try (Stream<Path> files = Files.list(outside)) {
            for (Path f : files.toList())
                Files.getFileAttributeView(f, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(null, FileTime.from(UNREAD), null);
        }
        return tells;
    }

    private static Instant lastAccess(Path f) throws Exception {
        return Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).lastAccessTime().toInstant();
    }

    private static Map<String, String> hashes(Path from) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList())
                sums.put(from.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
        return sums;
    }
}
