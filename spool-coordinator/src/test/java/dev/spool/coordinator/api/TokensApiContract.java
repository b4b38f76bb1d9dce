package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.RawHttp.Reply;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import dev.spool.model.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named tokens over real HTTP, once per database: each role against each class of route, with
 * the refusal saying why; the tokens API's validation; expiry to the second; a revocation taking
 * effect at once where it was made and within the cache window on another coordinator; and the
 * join token's rotation, which a registered worker does not notice.
 */
public abstract class TokensApiContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir protected Path dataDir;
    private String dbUrl;
    private final List<Coordinator> coordinators = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.now());
    RawHttp http;
    String admin;
    String join;

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    @BeforeEach
    public void start(TestInfo test) throws IOException {
        String method = test.getTestMethod().map(m -> m.getName()).orElse("test").toLowerCase(Locale.ROOT);
        String name = "tok_" + method.replaceAll("[^a-z0-9_]", "_");
        dbUrl = dbUrl(name.substring(0, Math.min(name.length(), 50)) + "_" + DATABASES.incrementAndGet());
        http = new RawHttp(startCoordinator().port());
        admin = token("SPOOL_TOKEN");
        join = token("SPOOL_JOIN_TOKEN");
    }

    @AfterEach
    public void stop() {
        coordinators.forEach(Coordinator::close);
    }

    private Coordinator startCoordinator() {
        Coordinator c = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, dbUrl, Duration.ofMinutes(5),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200)), clock);
        coordinators.add(c);
        return c;
    }

    @Test
    public void theFirstTokensMayBeTheOperatorsFromASecretAndNoTokensFileIsWritten() throws IOException {
        Path data = Files.createDirectories(dataDir.resolve("from-secret"));
        String fresh = dbUrl("tok_secret_" + DATABASES.incrementAndGet());
        String client = "spool_c_" + "k8s-secret-admin-0123456789abcdef";
        String joining = "spool_j_" + "k8s-secret-join-0123456789abcdefg";
        Coordinator first = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, data, fresh, Duration.ofMinutes(5),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200))
                .withInitialTokens(InitialTokens.of(client, joining)), clock);
        coordinators.add(first);
        RawHttp there = new RawHttp(first.port());
        assertThat(first.tokensFile()).as("the operator has them already").isNull();
        assertThat(Files.exists(data.resolve("tokens"))).isFalse();
        assertThat(there.get(Api.TOKENS, client).status()).as("the given client token is the admin").isEqualTo(200);
        assertThat(there.post(Api.WORKER_REGISTER, joining, """
                {"worker_id":"w-secret","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}"""
                .formatted(Api.PROTOCOL)).status()).as("the given join token admits a worker").isEqualTo(200);

        // a later start with other tokens (a Secret changed) does not replace the database's
        first.close();
        coordinators.remove(first);
        Coordinator second = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, data, fresh, Duration.ofMinutes(5),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200))
                .withInitialTokens(InitialTokens.of("spool_c_" + "another-admin-0123456789abcdefgh", "spool_j_" + "another-join-0123456789abcdefghi")), clock);
        coordinators.add(second);
        RawHttp again = new RawHttp(second.port());
        assertThat(again.get(Api.TOKENS, "spool_c_" + "another-admin-0123456789abcdefgh").status()).isEqualTo(401);
        assertThat(again.get(Api.TOKENS, client).status()).isEqualTo(200);
    }

    @Test
    public void aGivenTokenTooShortOrOfTheWrongKindIsRefusedByItsFlag() {
        assertThatThrownBy(() -> InitialTokens.of("spool_c_short", "spool_j_" + "k8s-secret-join-0123456789abcdefg"))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).startsWith("--initial-token must be spool_c_ and at least 32"));
        assertThatThrownBy(() -> InitialTokens.of("spool_j_" + "k8s-secret-join-0123456789abcdefg", "spool_j_" + "k8s-secret-join-0123456789abcdefh"))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("--initial-token"));
        assertThatThrownBy(() -> InitialTokens.of("spool_c_" + "k8s-secret-admin-0123456789abcdef", null))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).isEqualTo("--initial-join-token is needed with --initial-token"));
        assertThat(InitialTokens.of(null, null)).isNull();
        assertThat(InitialTokens.of("spool_c_" + "k8s-secret-admin-0123456789abcdef", "spool_j_" + "k8s-secret-join-0123456789abcdefg").toString())
                .doesNotContain("k8s");
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }

    private String create(String name, String role, String expiresIn) {
        clock.advance(Duration.ofSeconds(1));   // the clock stands still otherwise: tokens would share a creation time
        Reply made = http.post(Api.TOKENS, admin, expiresIn == null ? """
                {"name":"%s","role":"%s"}""".formatted(name, role) : """
                {"name":"%s","role":"%s","expires_in":"%s"}""".formatted(name, role, expiresIn));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().path("token").asText();
    }

    private static void refused(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.error().path("message").asText()).isEqualTo(message);
    }

    private Reply register(String token, String workerId) {
        return http.post(Api.WORKER_REGISTER, token, """
                {"worker_id":"%s","protocol":%d,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}"""
                .formatted(workerId, Api.PROTOCOL));
    }

    @Test
    public void eachRoleReachesItsRoutesAndIsRefusedTheRestSayingWhatTheRouteNeedsAndWhatTheTokenIs() {
        String read = create("grafana", "read", null);
        String submit = create("ci", "submit", "30d");
        String job = CoordinatorApiContract.job("movies/a.mkv", "");

        // read: looks at everything, changes nothing
        assertThat(http.get(Api.JOBS, read).status()).isEqualTo(200);
        assertThat(http.get(Api.WORKERS, read).status()).isEqualTo(200);
        assertThat(http.get(Api.QUEUE, read).status()).isEqualTo(200);
        assertThat(http.get(Api.OPENAPI, read).status()).isEqualTo(200);
        assertThat(http.get(Api.files(""), read).status()).isEqualTo(200);
        refused(http.post(Api.JOBS, read, job), 403, "this route needs a submit or admin token; this token (name 'grafana') is read-only");
        refused(http.put(Api.file("uploads/x.mp4"), read, "data"), 403,
                "this route needs a submit or admin token, or a worker's own credential; this token (name 'grafana') is read-only");
        refused(http.get(Api.TOKENS, read), 403, "this route needs an admin token; this token (name 'grafana') is read-only");
        refused(register(read, "w-1"), 403, "this route needs the join token or a worker's own credential; this token (name 'grafana') is read-only");

        // submit: changes jobs and files, not tokens
        Reply submitted = http.post(Api.JOBS, submit, job);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        String jobId = submitted.json().path("job_id").asText();
        assertThat(http.post(Api.jobCancel(jobId), submit, null).status()).isEqualTo(200);
        assertThat(http.post(Api.jobRetry(jobId), submit, null).status()).isEqualTo(200);
        assertThat(http.put(Api.file("uploads/x.mp4"), submit, "data").status()).isEqualTo(201);
        assertThat(http.get(Api.file("uploads/x.mp4"), read).body()).isEqualTo("data");
        refused(http.post(Api.JOIN_ROTATE, submit, null), 403, "this route needs an admin token; this token (name 'ci') is a submit token");
        refused(http.post(Api.jobCancel(jobId), read, null), 403, "this route needs a submit or admin token; this token (name 'grafana') is read-only");

        // admin: all of it; the join token only the worker protocol
        assertThat(http.post(Api.jobCancel(jobId), admin, null).status()).isEqualTo(200);
        assertThat(http.get(Api.TOKENS, admin).status()).isEqualTo(200);
        refused(http.get(Api.JOBS, join), 403, "this route needs a read, submit or admin token; this token is the worker join token");
        refused(http.get(Api.files(""), join), 403,
                "this route needs a read, submit or admin token, or a worker's own credential; this token is the worker join token");
        String credential = register(join, "w-1").json().path("credential").asText();
        refused(http.get(Api.JOBS, credential), 403, "this route needs a read, submit or admin token; this token is worker w-1's own credential");
    }

    @Test
    public void createValidatesNameRoleAndExpiryNamingTheFieldAndGivesTheSecretOnce() {
        Reply made = http.post(Api.TOKENS, admin, """
                {"name":"grafana","role":"read","expires_in":"30d"}""");
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.json().path("name").asText()).isEqualTo("grafana");
        assertThat(made.json().path("role").asText()).isEqualTo("read");
        assertThat(made.json().path("token").asText()).startsWith("spool_c_");
        assertThat(Instant.parse(made.json().path("expires_at").asText()))
                .isEqualTo(Instant.parse(made.json().path("created_at").asText()).plus(Duration.ofDays(30)));

        invalid("""
                {"name":"Grafana Board","role":"read"}""", "name",
                "name must be 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, not 'Grafana Board'");
        invalid("""
                {"role":"read"}""", "name", "name is required");
        invalid("""
                {"name":"x","role":"owner"}""", "role", "role must be read, submit or admin, not 'owner'");
        invalid("""
                {"name":"x"}""", "role", "role is required: read, submit or admin");
        invalid("""
                {"name":"x","role":"read","expires_in":"30x"}""", "expires_in", "expires_in must be a number with m, h or d (90m, 12h, 30d), not '30x'");
        invalid("""
                {"name":"x","role":"read","expires_in":"9999d"}""", "expires_in", "expires_in must be at most 3650d; leave it out for a token that does not expire");
        Reply unknown = http.post(Api.TOKENS, admin, """
                {"name":"x","role":"read","scopes":["jobs"]}""");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.error().path("field").asText()).isEqualTo("scopes");
        assertThat(unknown.error().path("message").asText()).startsWith("unknown field 'scopes'; known fields: expires_in, name, role");

        Reply again = http.post(Api.TOKENS, admin, """
                {"name":"grafana","role":"admin"}""");
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.error().path("field").asText()).isEqualTo("name");
    }

    private void invalid(String body, String field, String message) {
        Reply reply = http.post(Api.TOKENS, admin, body);
        assertThat(reply.status()).as(body + " -> " + reply).isEqualTo(400);
        assertThat(reply.error().path("field").asText()).as(body + " -> " + reply).isEqualTo(field);
        assertThat(reply.error().path("message").asText()).as(body + " -> " + reply).isEqualTo(message);
    }

    @Test
    public void theListShowsNamesRolesExpiryAndLastUseButNeverASecret() {
        String read = create("grafana", "read", "12h");
        assertThat(http.get(Api.JOBS, read).status()).isEqualTo(200);

        Reply list = http.get(Api.TOKENS, admin);

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(read).doesNotContain(admin).doesNotContain(Tokens.hash(read)).doesNotContain(join);
        JsonNode tokens = list.json().path("tokens");
        assertThat(tokens).extracting(t -> t.path("name").asText() + ":" + t.path("role").asText()).containsExactly("initial:admin", "grafana:read");
        JsonNode grafana = tokens.get(1);
        assertThat(grafana.path("id").asText()).startsWith("tok_");
        assertThat(grafana.path("expired").asBoolean()).isFalse();
        assertThat(grafana.has("expires_at")).isTrue();
        assertThat(grafana.has("last_used_at")).as(grafana.toString()).isTrue();
        assertThat(tokens.get(0).has("expires_at")).as("the initial token does not expire").isFalse();
    }

    @Test
    public void anExpiredTokenIsRefusedFromItsExpirySecondSayingWhen() {
        String read = create("short", "read", "1h");
        String expiresAt = http.get(Api.TOKENS, admin).json().path("tokens").get(1).path("expires_at").asText();
        assertThat(http.get(Api.JOBS, read).status()).isEqualTo(200);

        clock.advance(Duration.ofHours(1).minusSeconds(1));
        assertThat(http.get(Api.JOBS, read).status()).as("a second before its expiry").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        refused(http.get(Api.JOBS, read), 401, "the token expired on " + expiresAt);
        assertThat(http.get(Api.TOKENS, admin).json().path("tokens").get(1).path("expired").asBoolean()).isTrue();
    }

    @Test
    public void aRevokedTokenStopsAtOnceWhereItWasRevokedAndWithinTheCacheWindowOnAnotherCoordinator() {
        String read = create("grafana", "read", null);
        RawHttp other = new RawHttp(startCoordinator().port());
        assertThat(other.get(Api.JOBS, read).status()).as("the other coordinator has it cached now").isEqualTo(200);
        assertThat(http.get(Api.JOBS, read).status()).isEqualTo(200);

        Reply revoked = http.send("DELETE", Api.token("grafana"), admin, null).join();
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        long at = System.nanoTime();

        refused(http.get(Api.JOBS, read), 401, "the token is not valid");
        Poll.until(Duration.ofSeconds(10), "the other coordinator refuses the revoked token", () -> other.get(Api.JOBS, read).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - at)).as("within Auth's cache window, and some slack")
                .isLessThan(Duration.ofNanos(Auth.CACHE_NANOS).plusSeconds(1));
        Reply gone = http.send("DELETE", Api.token("grafana"), admin, null).join();
        assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
        assertThat(gone.error().path("field").asText()).isEqualTo("name");
        assertThat(create("grafana", "read", null)).as("the name is free again").isNotEqualTo(read);
    }

    @Test
    public void theLastAdminTokenCannotBeRevoked() {
        Reply last = http.send("DELETE", Api.token("initial"), admin, null).join();
        assertThat(last.status()).as(last.toString()).isEqualTo(409);
        assertThat(last.error().path("field").asText()).isEqualTo("name");

        String second = create("ops", "admin", null);
        assertThat(http.send("DELETE", Api.token("initial"), second, null).join().status()).isEqualTo(200);
        refused(http.get(Api.JOBS, admin), 401, "the token is not valid");
    }

    @Test
    public void rotatingTheJoinTokenRefusesTheOldOneAndARegisteredWorkerCarriesOn() {
        Reply registered = register(join, "w-1");
        String credential = registered.json().path("credential").asText();
        assertThat(credential).as(registered.toString()).isNotBlank();
        RawHttp other = new RawHttp(startCoordinator().port());
        assertThat(register(join, "w-other").status()).isEqualTo(200);

        Reply rotated = http.post(Api.JOIN_ROTATE, admin, null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newJoin = rotated.json().path("join_token").asText();
        assertThat(newJoin).startsWith("spool_j_").isNotEqualTo(join);

        refused(register(join, "w-2"), 401, "the token is not valid");
        Poll.until(Duration.ofSeconds(10), "the other coordinator refuses the old join token", () -> other.post(Api.WORKER_REGISTER, join, "{}").status() == 401);
        Reply sync = http.post(Api.WORKER_SYNC, credential, """
                {"worker_id":"w-1","status":"IDLE","current_job_id":""}""");
        assertThat(sync.status()).as("w-1 keeps its own credential: " + sync).isEqualTo(200);
        Reply second = register(newJoin, "w-2");
        assertThat(second.status()).isEqualTo(200);
        // a new worker joins with the new token, then speaks with its own credential (the join token may not act for it)
        assertThat(http.post(Api.WORKER_SYNC, second.json().path("credential").asText(), """
                {"worker_id":"w-2","status":"IDLE","current_job_id":""}""").status()).isEqualTo(200);
    }

    /** A clock the test moves: expiry is checked against the coordinator's clock. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now;

        ManualClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now.get(); }
    }
}
