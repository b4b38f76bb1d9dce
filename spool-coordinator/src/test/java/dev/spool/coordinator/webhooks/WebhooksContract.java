package dev.spool.coordinator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.api.Coordinator;
import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.queue.Claim;
import dev.spool.coordinator.queue.Database;
import dev.spool.coordinator.queue.Delivery;
import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.Requirements;
import dev.spool.coordinator.queue.RetryPolicy;
import dev.spool.coordinator.queue.WorkerFit;
import dev.spool.model.SpoolError;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.job.WebhookSpec;
import dev.spool.model.protocol.Wire;
import dev.spool.model.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks from a real coordinator to a real endpoint on loopback, once per database: signed calls
 * retried until a 2xx, failures told with their error and attempts, 410 stopping an endpoint, private
 * addresses refused unless allowed, and two coordinators on one database sending each event once.
 */
public abstract class WebhooksContract {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final RetrySchedule FAST = RetrySchedule.parse("1s,1s,1s,1s,1s");
    static final Duration WITHIN = Duration.ofSeconds(20);
    static final RetryPolicy NO_RETRY = new RetryPolicy(0, Duration.ZERO, 1.0);
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Requirements H264 = new Requirements("libx264", 0, "transcode");
    static final WorkerFit W1 = new WorkerFit("w1", Set.of("libx264"), 1080, Set.of("transcode"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static int databases;

    @TempDir protected Path dataDir;
    private Coordinator coordinator;
    private WebhookReceiver receiver;
    private String base;
    private String token;

    /** The JDBC URL of a fresh database of this name, or null for SQLite in the data directory. */
    protected abstract String dbUrl(String name);

    private Coordinator start(Path data, String url, WebhookSettings webhooks) {
        return Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, data, url, Duration.ofSeconds(30), Duration.ofSeconds(1),
                NO_RETRY, Duration.ofMillis(200)).withWebhooks(webhooks), Clock.systemUTC());
    }

    private void start(WebhookSettings webhooks) throws IOException {
        coordinator = start(dataDir, dbUrl("webhooks_" + (++databases)), webhooks);
        base = "http://127.0.0.1:" + coordinator.port();
        token = Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith("SPOOL_TOKEN="))
                .map(l -> l.substring("SPOOL_TOKEN=".length())).findFirst().orElseThrow();
    }

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
        if (receiver != null) receiver.close();
    }

    @Test
    void aJobsWebhookIsSignedAndTriedAgainAfterThree500sUntilThe200() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        receiver.answer(n -> n <= 3 ? 500 : 200);
        start(new WebhookSettings(List.of(), FAST, true));
        String jobId = submit(base, token, webhook(receiver.url("/hooks/spool"), SECRET, "\"queued\""));

        Delivery done = Poll.until(WITHIN, Duration.ofMillis(100), "the queued webhook delivered",
                () -> coordinator.queue().deliveries(jobId), ds -> ds.size() == 1 && ds.get(0).state() == Delivery.State.DELIVERED).get(0);
        assertThat(done.attempts()).isEqualTo(4);
        assertThat(done.lastStatus()).isEqualTo(200);
        List<WebhookReceiver.Call> calls = receiver.calls();
        assertThat(calls).hasSize(4).allMatch(WebhookReceiver.Call::signatureValid, "signed as Standard Webhooks says")
                .allMatch(c -> c.id().equals(done.id()), "one webhook-id on every attempt");
        assertThat(calls).allMatch(c -> Math.abs(Long.parseLong(c.timestamp()) - Instant.now().getEpochSecond()) < 300);
        JsonNode body = Wire.JSON.readTree(calls.get(3).body());
        assertThat(body.path("event").asText()).isEqualTo("queued");
        assertThat(body.path("job_id").asText()).isEqualTo(jobId);
        assertThat(body.path("movie_id").asText()).isEqualTo("movie-456");
        assertThat(Instant.parse(body.path("timestamp").asText())).isBefore(Instant.now());
        // the attempts were spaced by the schedule, not sent in a burst
        assertThat(Duration.between(calls.get(0).at(), calls.get(3).at())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));

        // every attempt is visible: on the job, in the list, and it can be sent again under its id
        JsonNode view = Wire.JSON.readTree(get(base + "/api/v1/jobs/" + jobId, token).body()).path("webhooks").path(0);
        assertThat(view.path("id").asText()).isEqualTo(done.id());
        assertThat(view.path("state").asText()).isEqualTo("DELIVERED");
        assertThat(view.path("attempts").asInt()).isEqualTo(4);
        assertThat(view.path("url").asText()).as("its path secrets masked").isEqualTo(receiver.url("/hooks/…"));
        assertThat(get(base + "/api/v1/webhooks/deliveries?state=delivered", token).body()).contains(done.id());
        assertThat(get(base + "/api/v1/webhooks/deliveries?state=lost", token).body()).contains("\"field\":\"state\"");
        assertThat(post(base + "/api/v1/webhooks/deliveries/" + done.id() + "/redeliver", token, "").statusCode()).isEqualTo(202);
        assertThat(post(base + "/api/v1/webhooks/deliveries/msg_nosuch/redeliver", token, "").statusCode()).isEqualTo(404);
        Poll.until(WITHIN, "the redelivery", () -> receiver.calls().size() == 5);
        assertThat(receiver.calls().get(4).id()).isEqualTo(done.id());
        assertThat(receiver.calls().get(4).signatureValid()).isTrue();
    }

    @Test
    void aCoordinatorSubscriptionHearsEveryJobAndACancelIsTold() throws Exception {
        receiver = new WebhookReceiver("webhook_secret");
        start(new WebhookSettings(List.of(new WebhookSettings.Subscription(receiver.url("/all"), List.of("webhook_secret"),
                Set.of("queued", "cancelled"), "json")), FAST, true));
        String jobId = submit(base, token, "");
        assertThat(post(base + "/api/v1/jobs/" + jobId + "/cancel", token, "").statusCode()).isEqualTo(200);
        List<WebhookReceiver.Call> calls = Poll.until(WITHIN, Duration.ofMillis(100), "queued and cancelled told",
                receiver::calls, cs -> cs.size() == 2);
        assertThat(calls).allMatch(WebhookReceiver.Call::signatureValid);
        // a batch of due deliveries is sent at once: Standard Webhooks promises no order, receivers sort by timestamp
        assertThat(calls.stream().map(c -> event(c.body())).toList()).containsExactlyInAnyOrder("queued", "cancelled");
    }

    @Test
    void aJobThatFailsIsToldWithItsErrorAndAttemptsAndAsEscalated() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        start(new WebhookSettings(List.of(), FAST, true));
        String jobId = submit(base, token, webhook(receiver.url("/h"), SECRET, "\"failed\", \"escalated\""));
        String join = Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith("SPOOL_JOIN_TOKEN="))
                .map(l -> l.substring("SPOOL_JOIN_TOKEN=".length())).findFirst().orElseThrow();
        assertThat(post(base + "/api/v1/workers/register", join, "{\"worker_id\": \"w1\", \"capabilities\": {\"supported_codecs\": [\"libx264\"]}}")
                .statusCode()).isEqualTo(200);
        String sync = post(base + "/api/v1/workers/sync", join, "{\"worker_id\": \"w1\", \"status\": \"IDLE\"}").body();
        assertThat(sync).contains(jobId);
        assertThat(post(base + "/api/v1/jobs/" + jobId + "/finalize", join,
                "{\"status\": \"FAILED\", \"error_msg\": \"input file does not exist: movies/a.mkv\"}").statusCode()).isEqualTo(200);

        List<WebhookReceiver.Call> calls = Poll.until(WITHIN, Duration.ofMillis(100), "failed and escalated told",
                receiver::calls, cs -> cs.size() == 2);
        assertThat(calls.stream().map(c -> event(c.body())).toList()).containsExactlyInAnyOrder("failed", "escalated");
        JsonNode failed = Wire.JSON.readTree(calls.stream().filter(c -> event(c.body()).equals("failed")).findFirst().orElseThrow().body());
        assertThat(failed.path("error").asText()).contains("input file does not exist: movies/a.mkv");
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void progressIsToldAtEachTenthPassedWhenAskedForAndNotAtEveryReport() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        start(new WebhookSettings(List.of(), FAST, true));
        String jobId = submit(base, token, webhook(receiver.url("/p"), SECRET, "\"progress\""));
        String join = Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith("SPOOL_JOIN_TOKEN="))
                .map(l -> l.substring("SPOOL_JOIN_TOKEN=".length())).findFirst().orElseThrow();
        assertThat(post(base + "/api/v1/workers/register", join, "{\"worker_id\": \"w1\", \"capabilities\": {\"supported_codecs\": [\"libx264\"]}}")
                .statusCode()).isEqualTo(200);
        assertThat(post(base + "/api/v1/workers/sync", join, "{\"worker_id\": \"w1\", \"status\": \"IDLE\"}").body()).contains(jobId);
        for (double p : new double[] {5, 15, 17, 19, 35}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId))
                    .header("Authorization", "Bearer " + join).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"worker_id\": \"w1\", \"status\": \"PROCESSING\", \"progress\": " + p + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        List<WebhookReceiver.Call> calls = Poll.until(WITHIN, Duration.ofMillis(100), "the tenths passed", receiver::calls, cs -> cs.size() >= 2);
        Thread.sleep(1500);   // nothing more comes for 17 and 19: they passed no tenth
        assertThat(receiver.calls().stream().map(c -> body(c.body()).path("progress").asInt()).sorted().toList()).containsExactly(10, 30);
        assertThat(receiver.calls()).allMatch(c -> event(c.body()).equals("progress")).allMatch(WebhookReceiver.Call::signatureValid);
    }

    @Test
    void anEndpointFailingLongerThanThePauseIsPausedFlaggedAndResumed() throws Exception {
        receiver = new WebhookReceiver(null);
        receiver.answer(n -> 503);
        start(new WebhookSettings(List.of(), RetrySchedule.parse("1s,1s,1s,1s,1s,1s,1s,1s"), true, Duration.ofSeconds(2)));
        String jobId = submit(base, token, webhook(receiver.url("/down"), null, "\"queued\""));
        JsonNode paused = Poll.until(WITHIN, Duration.ofMillis(100), "the endpoint paused",
                () -> Wire.JSON.readTree(get(base + "/api/v1/webhooks/endpoints", token).body()).path("endpoints").path(0),
                e -> e.path("paused").asBoolean());
        assertThat(paused.path("url").asText()).as("its path secrets masked").isEqualTo(receiver.url("/…"));
        assertThat(paused.path("last_error").asText()).contains("503");
        int calls = receiver.calls().size();
        assertThat(calls).as("it failed for 2 s of attempts about a second apart (the dispatcher ticks each second)").isBetween(2, 5);
        Thread.sleep(2500);
        assertThat(receiver.calls()).as("a paused endpoint is not called").hasSize(calls);
        assertThat(coordinator.queue().deliveries(jobId).get(0).state()).isEqualTo(Delivery.State.PENDING);

        receiver.answer(n -> 200);
        assertThat(post(base + "/api/v1/webhooks/endpoints/resume", token, "{\"url\": \"" + paused.path("url").asText() + "\"}")
                .statusCode()).as("resumed by the URL the list shows").isEqualTo(200);
        Poll.until(WITHIN, Duration.ofMillis(100), "delivered after the resume", () -> coordinator.queue().deliveries(jobId),
                ds -> ds.get(0).state() == Delivery.State.DELIVERED);
        assertThat(Wire.JSON.readTree(get(base + "/api/v1/webhooks/endpoints", token).body()).path("endpoints")).isEmpty();
        assertThat(post(base + "/api/v1/webhooks/endpoints/resume", token, "{\"url\": \"http://nowhere.example/\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void twoFailingEndpointsThatRedactAlikeAreResumedByTheirFullUrlOnly() throws Exception {
        receiver = new WebhookReceiver(null);
        receiver.answer(n -> 503);
        start(new WebhookSettings(List.of(), FAST, true));
        submit(base, token, webhook(receiver.url("/hooks/one"), null, "\"queued\""));
        submit(base, token, webhook(receiver.url("/hooks/two"), null, "\"queued\""));
        JsonNode endpoints = Poll.until(WITHIN, Duration.ofMillis(100), "both endpoints failing",
                () -> Wire.JSON.readTree(get(base + "/api/v1/webhooks/endpoints", token).body()).path("endpoints"), e -> e.size() == 2);
        assertThat(endpoints.toString()).doesNotContain("/one", "/two");
        assertThat(endpoints.path(0).path("url").asText()).isEqualTo(receiver.url("/hooks/…"));

        HttpResponse<String> ambiguous = post(base + "/api/v1/webhooks/endpoints/resume", token,
                "{\"url\": \"" + receiver.url("/hooks/…") + "\"}");
        assertThat(ambiguous.statusCode()).isEqualTo(409);
        assertThat(ambiguous.body()).contains("\"field\":\"url\"", "stands for 2 failing endpoints");
        assertThat(post(base + "/api/v1/webhooks/endpoints/resume", token, "{\"url\": \"" + receiver.url("/hooks/one") + "\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void a410StopsTheEndpointAndItsOtherDeliveries() throws Exception {
        receiver = new WebhookReceiver(null);
        receiver.answer(n -> 410);
        start(new WebhookSettings(List.of(), FAST, true));
        String first = submit(base, token, webhook(receiver.url("/gone"), null, "\"queued\""));
        Delivery gone = Poll.until(WITHIN, Duration.ofMillis(100), "410 recorded", () -> coordinator.queue().deliveries(first),
                ds -> ds.size() == 1 && ds.get(0).state() == Delivery.State.DISABLED).get(0);
        assertThat(gone.attempts()).isEqualTo(1);
        assertThat(gone.lastStatus()).isEqualTo(410);
        assertThat(receiver.calls()).hasSize(1).allMatch(c -> c.signature() == null, "no secret: unsigned");
    }

    @Test
    void aWebhookToAPrivateAddressIsRefusedUnlessAllowedAndNothingIsCalled() throws Exception {
        receiver = new WebhookReceiver(null);
        start(new WebhookSettings(List.of(), FAST, false));
        String jobId = submit(base, token, webhook(receiver.url("/private"), null, "\"queued\""));
        Delivery refused = Poll.until(WITHIN, Duration.ofMillis(100), "the refusal recorded", () -> coordinator.queue().deliveries(jobId),
                ds -> ds.size() == 1 && ds.get(0).state() == Delivery.State.FAILED).get(0);
        assertThat(refused.lastError()).contains("is a loopback address (127.0.0.1)", "--allow-private-webhooks");
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(receiver.calls()).isEmpty();
    }

    @Test
    void twoCoordinatorsOnOneDatabaseSendEachEventOnce(@TempDir Path secondData) throws Exception {
        String url = dbUrl("webhooks_two_" + (++databases));
        Assumptions.assumeTrue(url != null, "several coordinators share PostgreSQL, not SQLite");
        receiver = new WebhookReceiver("webhook_secret");
        WebhookSettings settings = new WebhookSettings(List.of(new WebhookSettings.Subscription(receiver.url("/all"),
                List.of("webhook_secret"), Set.of("queued"), "json")), FAST, true);
        coordinator = start(dataDir, url, settings);
        token = Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith("SPOOL_TOKEN="))
                .map(l -> l.substring("SPOOL_TOKEN=".length())).findFirst().orElseThrow();
        try (Coordinator second = start(secondData, url, settings)) {
            String[] bases = {"http://127.0.0.1:" + coordinator.port(), "http://127.0.0.1:" + second.port()};
            int jobs = 20;
            for (int i = 0; i < jobs; i++) submit(bases[i % 2], token, "");
            List<WebhookReceiver.Call> calls = Poll.until(WITHIN, Duration.ofMillis(100), jobs + " queued events told",
                    receiver::calls, cs -> cs.size() >= jobs);
            Thread.sleep(1500);   // a second, late copy would arrive within a tick or two
            calls = receiver.calls();
            assertThat(calls).hasSize(jobs).allMatch(WebhookReceiver.Call::signatureValid);
            assertThat(calls.stream().map(WebhookReceiver.Call::id).collect(Collectors.toSet())).hasSize(jobs);
            assertThat(calls.stream().map(c -> body(c.body()).path("job_id").asText()).collect(Collectors.toSet())).hasSize(jobs);
        }
    }

    /**
     * Every event of a job in one millisecond (a fast worker, or a coarse clock): two leases and two
     * failures share a timestamp, and only the first lease and the failure that ended the job are told.
     */
    @Test
    void eventsOfOneMillisecondTellTheJobsStartAndItsFailureOnce() {
        try (JobQueue queue = openQueue()) {
            RetryPolicy oneRetryAtOnce = new RetryPolicy(1, Duration.ZERO, 1.0);
            WebhookSpec hook = new WebhookSpec("https://example.com/hooks/spool", null, List.of("started", "failed", "escalated"));
            String jobId = queue.submit(new JobSpec("/in/a.mp4", "/out/a", List.of(), null, null, null, Priority.NORMAL, Map.of(),
                    hook, null, 0), H264, T0, oneRetryAtOnce).job().id();
            for (int attempt = 1; attempt <= 2; attempt++) {
                Claim claim = queue.claim(W1, T0, LEASE).orElseThrow();
                queue.fail(jobId, new JobQueue.LeaseRef(claim.task().workerId(), claim.task().leaseId()), "ffmpeg exited 1", true, T0,
                        oneRetryAtOnce);
            }
            assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(dev.spool.model.job.JobState.FAILED);

            while (queue.planDeliveries(new WebhookPlanner(List.of()), 1, T0) > 0) {
                // one event at a time: each is planned against the job as it ends up
            }

            assertThat(queue.deliveries(jobId)).extracting(Delivery::event)
                    .as("two leases and two failures at one instant; one start, one end").containsExactlyInAnyOrder("started", "failed", "escalated");
        }
    }

    /**
     * A claim is a fencing token: a coordinator whose claim ran out (a long GC pause, a slow call) and
     * was taken by another cannot record its attempt, nor touch the endpoint's standing; a redelivery
     * asked for while a claim is live is refused rather than sending it twice at once.
     */
    @Test
    void onlyTheCurrentClaimRecordsAnAttemptAndARedeliveryLeavesALiveClaimAlone() {
        try (JobQueue queue = openQueue()) {
            WebhookSpec hook = new WebhookSpec("https://example.com/hooks/spool", null, List.of("queued"));
            String jobId = queue.submit(new JobSpec("/in/a.mp4", "/out/a", List.of(), null, null, null, Priority.NORMAL, Map.of(),
                    hook, null, 0), H264, T0, NO_RETRY).job().id();
            queue.planDeliveries(new WebhookPlanner(List.of()), 100, T0);
            Duration claimFor = Duration.ofSeconds(60);
            Delivery first = queue.claimDeliveries(10, T0, claimFor).getFirst();

            assertThatThrownBy(() -> queue.redeliver(first.id(), T0.plusSeconds(1)))
                    .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.field()).isEqualTo("id"))
                    .hasMessageContaining("is being sent now");
            assertThat(queue.claimDeliveries(10, T0.plusSeconds(2), claimFor)).as("the live claim stood the redelivery").isEmpty();

            Instant late = T0.plus(claimFor).plusSeconds(1);
            Delivery second = queue.claimDeliveries(10, late, claimFor).getFirst();
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.claim()).isNotEqualTo(first.claim());

            assertThat(queue.deliveryAttempted(first, new Delivery.Outcome.RetryAt(late.plusSeconds(60), 500, "the endpoint answered 500"),
                    late, Duration.ofHours(24))).as("the first claim ran out and was taken").isFalse();
            assertThat(queue.deliveryAttempted(first, new Delivery.Outcome.Delivered(200), late, Duration.ofHours(24))).isFalse();
            assertThat(queue.deliveries(jobId).getFirst()).extracting(Delivery::state, Delivery::attempts)
                    .containsExactly(Delivery.State.PENDING, 0);
            assertThat(queue.failingEndpoints()).as("a stale attempt says nothing of the endpoint").isEmpty();

            assertThat(queue.deliveryAttempted(second, new Delivery.Outcome.RetryAt(late.plusSeconds(60), 503, "the endpoint answered 503"),
                    late, Duration.ofHours(24))).isTrue();
            assertThat(queue.deliveries(jobId).getFirst()).extracting(Delivery::state, Delivery::attempts, Delivery::lastStatus)
                    .containsExactly(Delivery.State.PENDING, 1, 503);
            assertThat(queue.failingEndpoints()).extracting(Delivery.Endpoint::url).containsExactly(hook.url());
            assertThat(queue.redeliver(first.id(), late.plusSeconds(1))).as("no claim now: sent again at once").isTrue();
            assertThat(queue.claimDeliveries(10, late.plusSeconds(1), claimFor)).extracting(Delivery::id).containsExactly(first.id());
        }
    }

    /** A queue on this contract's database, without a coordinator (whose dispatcher would send what the test plans). */
    private JobQueue openQueue() {
        String url = dbUrl("webhooks_" + (++databases));
        return url == null ? Database.sqlite(dataDir) : Database.postgres(url);
    }

    private static String webhook(String url, String secret, String events) {
        return ", \"webhook\": {\"url\": \"" + url + "\"" + (secret != null ? ", \"secret\": \"" + secret + "\"" : "")
                + ", \"events\": [" + events + "]}";
    }

    private static String submit(String base, String token, String extra) throws Exception {
        HttpResponse<String> r = post(base + "/api/v1/jobs", token, "{\"input\": \"/media/movies/a.mkv\", \"output\": \"/media/out/a\", "
                + "\"labels\": {\"movie_id\": \"movie-456\"}" + extra + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Wire.JSON.readTree(r.body()).path("job_id").asText();
    }

    private static HttpResponse<String> post(String url, String token, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String body) {
        return body(body).path("event").asText();
    }

    private static JsonNode body(String body) {
        try {
            return Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
