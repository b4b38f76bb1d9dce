package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.model.protocol.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's API over real HTTP, once per database: signing in for a session cookie and what
 * the cookie may do (CSRF on changes, the token's role, dying with its token, signing out), the
 * live feed's events within a second of a change (through a second coordinator too, on
 * PostgreSQL), the jobs list's text search, bulk actions and the throughput history.
 */
public abstract class DashboardApiContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** Within ~1 s of the change, as the issue asks, with slack for a loaded build machine. */
    private static final Duration LIVE_WITHIN = Duration.ofMillis(1500);

    @TempDir protected Path dataDir;
    private String dbUrl;
    private final List<Coordinator> coordinators = new ArrayList<>();
    private final List<AutoCloseable> streams = new ArrayList<>();
    private final TokensApiContract.ManualClock clock = new TokensApiContract.ManualClock(Instant.now());
    private Coordinator coordinator;
    RawHttp http;
    String admin;
    String join;

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    @BeforeEach
    public void start(TestInfo test) throws IOException {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
        String name = "dash_" + method.replaceAll("[^a-z0-9_]", "_");
        dbUrl = dbUrl(name.substring(0, Math.min(name.length(), 50)) + "_" + DATABASES.incrementAndGet());
        coordinator = startCoordinator(clock);
        http = new RawHttp(coordinator.port());
        admin = token("SPOOL_TOKEN");
        join = token("SPOOL_JOIN_TOKEN");
    }

    @AfterEach
    public void stop() throws Exception {
        for (AutoCloseable s : streams) s.close();
        coordinators.forEach(Coordinator::close);
    }

    private Coordinator startCoordinator(java.time.Clock clock) {
        Coordinator c = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, dbUrl, Duration.ofMinutes(5),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200)), clock);
        coordinators.add(c);
        return c;
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }

    private String create(String name, String role) {
        Reply made = http.post(Api.TOKENS, admin, """
                {"name":"%s","role":"%s"}""".formatted(name, role));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().path("token").asText();
    }

    /** A signed-in browser: its cookie ("spool_session=...") and CSRF token. */
    record Session(String cookie, String csrf, Reply reply) {}

    private Session signIn(String token) {
        Reply r = http.post(Api.SESSION, null, """
                {"token":"%s"}""".formatted(token));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), r.json().path("csrf_token").asText(), r);
    }

    private Reply withCookie(String method, String path, Session s, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie";
        all[1] = s.cookie();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.sendWith(method, path, null, json, all);
    }

    private String submit(String input, String extra) {
        clock.advance(Duration.ofMillis(5));   // the clock stands still otherwise: jobs would share a creation time
        Reply r = http.post(Api.JOBS, admin, CoordinatorApiContract.job(input, extra));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("job_id").asText();
    }

    private static void refused(Reply reply, int status, String field, String messageStart) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        if (field != null) assertThat(reply.error().path("field").asText()).as(reply.toString()).isEqualTo(field);
        else assertThat(reply.error().has("field")).as(reply.toString()).isFalse();
        assertThat(reply.error().path("message").asText()).as(reply.toString()).startsWith(messageStart);
    }

    // ---- sign-in and sessions ----

    @Test
    public void signingInGivesAnHttpOnlyStrictTwelveHourCookieThatActsAsTheToken() {
        Session s = signIn(admin);

        assertThat(s.reply().headers().firstValue("Set-Cookie").orElseThrow())
                .matches("spool_session=[A-Za-z0-9_-]{22}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200")
                .as("no Secure without TLS (CoordinatorTlsTest has it with)").doesNotContain("Secure");
        JsonNode body = s.reply().json();
        assertThat(body.path("name").asText()).isEqualTo("initial");
        assertThat(body.path("role").asText()).isEqualTo("admin");
        assertThat(s.csrf()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Instant.parse(body.path("expires_at").asText())).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        assertThat(s.reply().body()).doesNotContain(admin);

        assertThat(withCookie("GET", Api.JOBS, s, null).status()).isEqualTo(200);
        Reply who = withCookie("GET", Api.SESSION, s, null);
        assertThat(who.json().path("csrf_token").asText()).isEqualTo(s.csrf());
        Reply bearer = http.get(Api.SESSION, admin);
        assertThat(bearer.json().path("name").asText()).isEqualTo("initial");
        assertThat(bearer.json().has("csrf_token")).as("a bearer token has no session: " + bearer).isFalse();
    }

    @Test
    public void aReadTokensSessionSeesEverythingAndIsRefusedActionsEvenWithItsCsrfToken() {
        String jobId = submit("movies/a.mkv", "");
        Session s = signIn(create("viewer", "read"));
        assertThat(s.reply().json().path("role").asText()).isEqualTo("read");

        assertThat(withCookie("GET", Api.JOBS, s, null).status()).isEqualTo(200);
        assertThat(withCookie("GET", Api.job(jobId), s, null).status()).isEqualTo(200);
        assertThat(withCookie("GET", Api.WORKERS, s, null).status()).isEqualTo(200);
        refused(withCookie("POST", Api.jobCancel(jobId), s, null, Auth.CSRF_HEADER, s.csrf()), 403, null,
                "this route needs a submit or admin token; this token (name 'viewer') is read-only");
        refused(withCookie("POST", Api.JOBS_BULK, s, """
                {"action":"cancel","job_ids":["%s"]}""".formatted(jobId), Auth.CSRF_HEADER, s.csrf()), 403, null, "this route needs a submit");
    }

    @Test
    public void aChangeMadeWithTheCookieNeedsTheSessionsCsrfHeaderAndABearerTokenNeedsNone() {
        String first = submit("movies/a.mkv", "");
        String second = submit("movies/b.mkv", "");
        Session s = signIn(admin);

        refused(withCookie("POST", Api.jobCancel(first), s, null), 403, "X-Spool-CSRF", "X-Spool-CSRF is required");
        refused(withCookie("POST", Api.jobCancel(first), s, null, Auth.CSRF_HEADER, s.csrf() + "x"), 403, "X-Spool-CSRF",
                "X-Spool-CSRF does not match");
        refused(withCookie("POST", Api.jobCancel(first), s, null, Auth.CSRF_HEADER, signIn(admin).csrf()), 403, "X-Spool-CSRF",
                "X-Spool-CSRF does not match");
        assertThat(http.get(Api.job(first), admin).json().path("state").asText()).as("nothing was cancelled").isEqualTo("QUEUED");
        Reply cancelled = withCookie("POST", Api.jobCancel(first), s, null, Auth.CSRF_HEADER, s.csrf());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");
        assertThat(http.post(Api.jobCancel(second), admin, null).status()).as("bearer: no CSRF header").isEqualTo(200);
    }

    @Test
    public void aSessionDiesWithItsTokenAndAtItsTwelfthHour() {
        create("ops", "submit");
        Session viaOps = signIn(http.post(Api.TOKENS, admin, """
                {"name":"ops2","role":"submit"}""").json().path("token").asText());
        Session viaAdmin = signIn(admin);
        assertThat(withCookie("GET", Api.JOBS, viaOps, null).status()).isEqualTo(200);

        assertThat(http.send("DELETE", Api.token("ops2"), admin, null).join().status()).isEqualTo(200);
        refused(withCookie("GET", Api.JOBS, viaOps, null), 401, null, "the token is not valid");

        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(withCookie("GET", Api.JOBS, viaAdmin, null).status()).as("a second before its end").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        refused(withCookie("GET", Api.JOBS, viaAdmin, null), 401, null, "the session is not valid");
        assertThat(coordinator.queue().deleteExpiredSessions(clock.instant())).as("swept").isEqualTo(2);
    }

    @Test
    public void onlyAClientTokenCanSignInAndABadOneCountsAgainstTheAddress() {
        String credential = http.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"w-1","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}"""
                .formatted(Api.PROTOCOL)).json().path("credential").asText();

        refused(http.post(Api.SESSION, null, """
                {"token":"%s"}""".formatted(join)), 403, "token", "only a client token (spool_c_...) can sign in to the dashboard; "
                + "this token is the worker join token");
        Reply worker = http.post(Api.SESSION, null, """
                {"token":"%s"}""".formatted(credential));
        refused(worker, 403, "token", "only a client token");
        assertThat(worker.error().path("message").asText()).endsWith("this token is worker w-1's own credential");
        assertThat(worker.headers().firstValue("Set-Cookie")).isEmpty();
        refused(http.post(Api.SESSION, null, "{}"), 400, "token", "token is required");
        refused(http.post(Api.SESSION, null, """
                {"tokn":"spool_c_x"}"""), 400, "tokn", "unknown field 'tokn'; known fields: token");   // misspelt, not missing
        refused(http.sendWith("POST", Api.SESSION, null, null, "Content-Type", "text/plain"), 415, "Content-Type",
                "sign-in takes a JSON body");   // what a cross-site form could send
        refused(http.post(Api.SESSION, null, """
                {"token":"spool_c_not-a-token"}"""), 401, null, "the token is not valid");
        int status = 0;
        for (int i = 0; i < 40 && status != 429; i++) status = http.post(Api.SESSION, null, """
                {"token":"spool_c_guess-%d"}""".formatted(i)).status();
        assertThat(status).as("guessing is limited like bad bearer tokens (%s)", Limits.DEFAULT_BAD_TOKENS).isEqualTo(429);
    }

    @Test
    public void signingOutDeletesTheSessionAndClearsTheCookie() {
        Session s = signIn(admin);
        refused(withCookie("DELETE", Api.SESSION, s, null), 403, "X-Spool-CSRF", "X-Spool-CSRF is required");

        Reply out = withCookie("DELETE", Api.SESSION, s, null, Auth.CSRF_HEADER, s.csrf());

        assertThat(out.status()).as(out.toString()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("spool_session=; Path=/;").contains("Max-Age=0");
        refused(withCookie("GET", Api.JOBS, s, null), 401, null, "the session is not valid");
        refused(http.get(Api.JOBS, null), 401, null, "a bearer token is required");
    }

    // ---- live updates ----

    private SseStream live(int port, Session s) throws Exception {
        SseStream stream = new SseStream(port, "Cookie", s.cookie());
        streams.add(stream);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        stream.next("hello", m -> m.has("at"), Duration.ofSeconds(5));
        return stream;
    }

    @Test
    public void aLiveClientHearsOfASubmitAndOfAProgressReportWithinASecond() throws Exception {
        SseStream stream = live(coordinator.port(), signIn(admin));
        assertThat(coordinator.liveOnVirtualThread()).as("the stream is written from a virtual thread").isTrue();

        long submitted = System.nanoTime();
        String jobId = submit("movies/live.mkv", "");
        SseStream.Message queued = stream.next("job", j -> j.path("job_id").asText().equals(jobId), LIVE_WITHIN);
        assertThat(queued.json().path("state").asText()).isEqualTo("QUEUED");
        assertThat(queued.json().path("input").asText()).isEqualTo("movies/live.mkv");
        long submitMs = (queued.at() - submitted) / 1_000_000;

        String credential = http.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"w-live","protocol":2,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""").json().path("credential").asText();
        stream.next("worker", w -> w.path("worker_id").asText().equals("w-live"), LIVE_WITHIN);
        String lease = http.post(Api.WORKER_SYNC, credential, CoordinatorApiContract.sync(new CoordinatorApiContract.Worker("w-live", credential), "IDLE", 0))
                .json().at("/assigned_job/lease/lease_id").asText();
        assertThat(lease).isNotBlank();
        long reported = System.nanoTime();
        assertThat(http.patch(Api.job(jobId), credential, CoordinatorApiContract.progress(42.5, lease)).status()).isEqualTo(200);
        SseStream.Message progress = stream.next("job", j -> j.path("job_id").asText().equals(jobId) && j.path("progress").asDouble() == 42.5,
                LIVE_WITHIN);
        assertThat(progress.json().path("state").asText()).isEqualTo("RUNNING");
        assertThat(progress.json().path("fps").asDouble()).isEqualTo(30.0);
        long progressMs = (progress.at() - reported) / 1_000_000;
        clock.advance(LiveFeed.STATS_EVERY);   // the coordinator's clock, which this test moves: stats are sent at most this often
        stream.next("stats", st -> st.path("jobs").path("running").asLong() == 1, Duration.ofSeconds(4));
        System.err.printf("live feed latency: submit %d ms, progress %d ms%n", submitMs, progressMs);

        // a completion tells the player where this coordinator serves the ladder, as the jobs list does
        assertThat(http.post(Api.jobFinalize(jobId), credential, """
                {"status":"COMPLETED","manifest_url":"processed/movies_live_mkv/master.m3u8","lease_id":"%s","worker_id":"w-live"}"""
                .formatted(lease)).status())
                .isEqualTo(200);
        clock.advance(Duration.ofMillis(5));
        String kept = http.post(Api.JOBS, admin, """
                {"input":"movies/kept.mkv","output":"spool://outputs/kept","outputs":[{"resolution":"360p","codec":"h264"}],"piece_seconds":0}""")
                .json().path("job_id").asText();
        String keptLease = http.post(Api.WORKER_SYNC, credential, CoordinatorApiContract.sync(new CoordinatorApiContract.Worker("w-live", credential),
                "IDLE", 0)).json().at("/assigned_job/lease/lease_id").asText();
        assertThat(http.post(Api.jobFinalize(kept), credential, """
                {"status":"COMPLETED","manifest_url":"spool://outputs/kept/master.m3u8","lease_id":"%s","worker_id":"w-live"}"""
                .formatted(keptLease)).status()).isEqualTo(200);
        SseStream.Message completed = stream.next("job", j -> j.path("job_id").asText().equals(kept)
                && j.path("state").asText().equals("COMPLETED"), LIVE_WITHIN);
        assertThat(completed.json().at("/outputs/playback_url").asText()).isEqualTo(Api.jobOutput(kept, "master.m3u8"));
    }

    @Test
    public void aChangeThroughASecondCoordinatorOnTheSameDatabaseReachesALiveClientOfTheFirst() throws Exception {
        assumeTrue(dbUrl != null, "SQLite: one coordinator per database file");
        SseStream stream = live(coordinator.port(), signIn(admin));
        RawHttp other = new RawHttp(startCoordinator(java.time.Clock.systemUTC()).port());

        long submitted = System.nanoTime();
        Reply r = other.post(Api.JOBS, admin, CoordinatorApiContract.job("movies/elsewhere.mkv", ""));
        String jobId = r.json().path("job_id").asText();
        SseStream.Message queued = stream.next("job", j -> j.path("job_id").asText().equals(jobId), LIVE_WITHIN);
        long submitMs = (queued.at() - submitted) / 1_000_000;
        long afterReplyMs = (queued.at() - r.receivedNanos()) / 1_000_000;

        String credential = other.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"w-other","protocol":2,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""").json().path("credential").asText();
        String lease = other.post(Api.WORKER_SYNC, credential, CoordinatorApiContract.sync(new CoordinatorApiContract.Worker("w-other", credential), "IDLE", 0))
                .json().at("/assigned_job/lease/lease_id").asText();
        long reported = System.nanoTime();
        assertThat(other.patch(Api.job(jobId), credential, CoordinatorApiContract.progress(17, lease)).status()).isEqualTo(200);
        SseStream.Message progress = stream.next("job", j -> j.path("job_id").asText().equals(jobId) && j.path("progress").asDouble() == 17.0,
                LIVE_WITHIN);
        long progressMs = (progress.at() - reported) / 1_000_000;
        System.err.printf("live feed latency through a second coordinator: submit %d ms (%d ms after its reply), progress %d ms%n",
                submitMs, afterReplyMs, progressMs);
    }

    @Test
    public void theLiveFeedWantsAnEventStreamAndATokenOrSession() throws Exception {
        Reply plain = http.get(Api.LIVE, admin);
        refused(plain, 406, "Accept", "this route is a stream of server-sent events");
        refused(http.getWith(Api.LIVE, null, "Accept", "text/event-stream"), 401, null, "a bearer token is required");
        SseStream bearer = new SseStream(coordinator.port(), "Authorization", "Bearer " + admin);
        streams.add(bearer);
        assertThat(bearer.status()).isEqualTo(200);
        bearer.next("hello", m -> true, Duration.ofSeconds(5));
    }

    // ---- jobs list additions ----

    private List<String> ids(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().path("jobs").forEach(j -> ids.add(j.path("job_id").asText()));
        return ids;
    }

    @Test
    public void qMatchesAnIdPrefixOrASubstringOfALabelValueInputOrOutputAndKeepsPaging() {
        String matrix = submit("movies/The_Matrix.mkv", ", \"labels\":{\"movie_id\":\"tt0133093\"}");
        String dune = submit("movies/dune.mkv", ", \"labels\":{\"movie_id\":\"tt1160419\",\"studio\":\"Legendary 50%\"}");
        String other = submit("series/s01e01.mkv", "");

        assertThat(ids(http.get(Api.JOBS + "?q=matrix", admin))).as("input, any case").containsExactly(matrix);
        assertThat(ids(http.get(Api.JOBS + "?q=0133", admin))).as("a label value").containsExactly(matrix);
        assertThat(ids(http.get(Api.JOBS + "?q=processed/series", admin))).as("the output").containsExactly(other);
        assertThat(ids(http.get(Api.JOBS + "?q=" + dune.substring(0, dune.length() - 3), admin))).as("an id prefix").containsExactly(dune);
        assertThat(ids(http.get(Api.JOBS + "?q=" + dune.substring(5), admin))).as("not the middle of an id").isEmpty();
        assertThat(ids(http.get(Api.JOBS + "?q=50%25", admin))).as("% is a character, not a wildcard").containsExactly(dune);
        assertThat(ids(http.get(Api.JOBS + "?q=5_%25", admin))).as("_ too").isEmpty();
        assertThat(ids(http.get(Api.JOBS + "?q=tt&state=queued", admin))).containsExactly(dune, matrix);
        Reply page = http.get(Api.JOBS + "?q=movies&limit=1", admin);
        assertThat(ids(page)).containsExactly(dune);
        assertThat(ids(http.get(Api.JOBS + "?q=movies&limit=1&cursor=" + page.json().path("next_cursor").asText(), admin)))
                .containsExactly(matrix);
        refused(http.get(Api.JOBS + "?q=" + "x".repeat(257), admin), 400, "q", "q must be at most 256 characters");
    }

    @Test
    public void bulkCancelAndRetryGiveEachIdItsOwnResult() {
        String a = submit("movies/a.mkv", "");
        String b = submit("movies/b.mkv", "");
        String ended = submit("movies/c.mkv", "");
        http.post(Api.jobCancel(ended), admin, null);

        Reply cancel = http.post(Api.JOBS_BULK, admin, """
                {"action":"cancel","job_ids":["%s","%s","%s","job_nosuchjob0000000000","not an id"]}""".formatted(a, b, ended));

        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        JsonNode results = cancel.json().path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).toString()).isEqualTo("{\"job_id\":\"%s\",\"ok\":true,\"state\":\"CANCELLED\"}".formatted(a));
        assertThat(results.get(1).path("ok").asBoolean()).isTrue();
        assertThat(results.get(2).path("ok").asBoolean()).isFalse();
        assertThat(results.get(2).at("/error/code").asText()).isEqualTo("CONFLICT");
        assertThat(results.get(2).at("/error/message").asText()).contains("has already ended");
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(results.get(4).at("/error/code").asText()).isEqualTo("INVALID");
        assertThat(results.get(4).at("/error/field").asText()).isEqualTo("job_id");

        Reply retry = http.post(Api.JOBS_BULK, admin, """
                {"action":"retry","job_ids":["%s","%s"]}""".formatted(a, ended));
        assertThat(retry.json().path("results")).allSatisfy(r -> assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue());
        assertThat(http.get(Api.job(a), admin).json().path("state").asText()).isEqualTo("QUEUED");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) many.add("\"" + a + "\"");
        refused(http.post(Api.JOBS_BULK, admin, "{\"action\":\"cancel\",\"job_ids\":[" + String.join(",", many) + "]}"), 400, "job_ids",
                "job_ids may name at most 500 jobs, not 501");
        refused(http.post(Api.JOBS_BULK, admin, "{\"action\":\"delete\",\"job_ids\":[\"" + a + "\"]}"), 400, "action", "action: 'delete' is not valid");
        refused(http.post(Api.JOBS_BULK, admin, "{\"action\":\"cancel\",\"job_ids\":[]}"), 400, "job_ids", "job_ids needs one or more");
    }

    @Test
    public void theHistoryCountsJobsEndedPerTenMinutesOldestFirst() {
        String jobId = submit("movies/done.mkv", "");
        String failed = submit("movies/failed.mkv", "");
        String credential = http.post(Api.WORKER_REGISTER, join, """
                {"worker_id":"w-h","protocol":2,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""").json().path("credential").asText();
        var worker = new CoordinatorApiContract.Worker("w-h", credential);
        String lease = http.post(Api.WORKER_SYNC, credential, CoordinatorApiContract.sync(worker, "IDLE", 0)).json().at("/assigned_job/lease/lease_id").asText();
        Reply done = http.post(Api.jobFinalize(jobId), credential, CoordinatorApiContract.completed(lease));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        for (int attempt = 1; attempt <= CoordinatorApiContract.RETRY.maxAttempts(); attempt++) {   // each attempt fails: the job fails
            String next = http.post(Api.WORKER_SYNC, credential, CoordinatorApiContract.sync(worker, "IDLE", 0)).json().at("/assigned_job/lease/lease_id").asText();
            Reply fail = http.post(Api.jobFinalize(failed), credential, """
                    {"status":"FAILED","error_msg":"corrupt input","lease_id":"%s"}""".formatted(next));
            assertThat(fail.status()).as(fail.toString()).isEqualTo(200);
        }
        assertThat(http.get(Api.job(failed), admin).json().path("state").asText()).isEqualTo("FAILED");

        Reply history = http.get(Api.STATS_HISTORY + "?hours=1", admin);

        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        assertThat(history.json().path("bucket_seconds").asInt()).isEqualTo(600);
        JsonNode buckets = history.json().path("buckets");
        assertThat(buckets.size()).isBetween(6, 7);
        JsonNode last = buckets.get(buckets.size() - 1);
        assertThat(last.path("completed").asLong()).as(history.toString()).isEqualTo(1);
        assertThat(last.path("failed").asLong()).as(history.toString()).isEqualTo(1);
        assertThat(Instant.parse(last.path("start").asText())).isBeforeOrEqualTo(clock.instant())
                .isAfter(clock.instant().minus(Duration.ofMinutes(10)));
        assertThat(Instant.parse(buckets.get(0).path("start").asText())).isBefore(Instant.parse(last.path("start").asText()));
        assertThat(http.get(Api.STATS_HISTORY, admin).json().path("buckets").size()).as("6 hours by default").isBetween(36, 37);
        refused(http.get(Api.STATS_HISTORY + "?hours=73", admin), 400, "hours", "hours must be a whole number of hours from 1 to 72");
    }
}
