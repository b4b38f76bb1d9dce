package dev.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.webhooks.WebhookReceiver;
import dev.spool.model.protocol.Wire;
import dev.spool.model.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks between real processes: a coordinator killed with SIGKILL between two attempts at a
 * delivery sends it again after its restart, under the same webhook-id, until the endpoint's 200;
 * the CLI shows the deliveries; a job's webhook to a metadata address is refused and nothing is called.
 */
class WebhooksIT {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir Path dir;
    private Cluster cluster;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) cluster.close();
        if (receiver != null) receiver.close();
    }

    private String[] coordinatorFlags() {
        return new String[] {"--webhook", receiver.url("/spool"), "--webhook-secret", SECRET, "--webhook-events", "queued,cancelled",
                "--webhook-retries", "1s,1s,1s,1s,1s", "--allow-private-webhooks"};
    }

    @Test
    void aDeliveryInterruptedByKillingTheCoordinatorIsSentAgainAfterItsRestartUnderTheSameId() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        receiver.answer(n -> n <= 3 ? 500 : 200);
        cluster = new Cluster(dir);
        cluster.startCoordinator(coordinatorFlags());
        String jobId = cluster.submit("/media/movies/a.mkv", "/media/out/a", java.util.Map.of("labels", java.util.Map.of("movie_id", "456")), "720p");

        Poll.until(WITHIN, "the first attempt (answered 500)", () -> receiver.calls().size() >= 1);
        Thread.sleep(300);   // its outcome recorded: the kill falls between attempts, not inside one
        Cluster.signal(cluster.coordinator(), "KILL", false);
        cluster.coordinator().waitFor();
        int beforeRestart = receiver.calls().size();
        Thread.sleep(1500);
        assertThat(receiver.calls()).as("nothing is sent while no coordinator runs").hasSize(beforeRestart);
        cluster.startCoordinator(coordinatorFlags());

        Poll.until(WITHIN, "the 200", () -> receiver.calls().size() >= 4);
        Thread.sleep(2500);   // a duplicate would come within the schedule's next delays
        List<WebhookReceiver.Call> calls = receiver.calls();
        assertThat(calls).hasSize(4).allMatch(WebhookReceiver.Call::signatureValid, "signed");
        assertThat(calls.stream().map(WebhookReceiver.Call::id).collect(Collectors.toSet())).as("one webhook-id").hasSize(1);
        JsonNode body = Wire.JSON.readTree(calls.get(3).body());
        assertThat(body.path("event").asText()).isEqualTo("queued");
        assertThat(body.path("job_id").asText()).isEqualTo(jobId);
        assertThat(body.path("movie_id").asText()).isEqualTo("456");

        String id = calls.get(0).id();
        SpoolProcess.Result list = SpoolProcess.run("webhooks", "list", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(id, "queued", "DELIVERED", "attempts 4", "last 200");
        assertThat(list.stdout()).as("the URL shown redacted").contains(receiver.url("/…")).doesNotContain(receiver.url("/spool"));
        SpoolProcess.Result status = SpoolProcess.run("status", jobId, "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(status.stdout()).contains("webhook " + id);
        SpoolProcess.Result again = SpoolProcess.run("webhooks", "redeliver", id, "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        Poll.until(WITHIN, "the redelivery", () -> receiver.calls().size() == 5);
        assertThat(receiver.calls().get(4).id()).isEqualTo(id);
        SpoolProcess.Result bad = SpoolProcess.run("webhooks", "redeliver", "nope", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("ID is not a webhook-id").doesNotContain("Exception");
    }

    @Test
    void aJobsWebhookToTheMetadataAddressIsRefusedAndItsFlagsAreChecked() throws Exception {
        receiver = new WebhookReceiver(null);
        cluster = new Cluster(dir);
        cluster.startCoordinator(coordinatorFlags());
        SpoolProcess.Result submitted = SpoolProcess.run("submit", "/media/movies/b.mkv", "--output", "/media/out/b", "--webhook",
                "http://169.254.169.254/latest/meta-data", "--webhook-events", "queued", "--coordinator", cluster.url(),
                "--token", cluster.clientToken());
        assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();
        String jobId = submitted.stdout().strip();
        JsonNode refused = Poll.until(WITHIN, Duration.ofMillis(200), "the refusal", () -> cluster.job(jobId).path("webhooks"),
                ws -> Set.of("FAILED").equals(stateOf(ws, "169.254.169.254")));
        assertThat(refused.toString()).contains("link-local");

        SpoolProcess.Result badEvent = SpoolProcess.run("submit", "/media/movies/c.mkv", "--output", "/media/out/c", "--webhook", "https://example.com/h",
                "--webhook-events", "done", "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(badEvent.exitCode()).isEqualTo(2);
        assertThat(badEvent.stderr()).contains("--webhook-events has 'done'").doesNotContain("Exception");
        SpoolProcess.Result orphan = SpoolProcess.run("submit", "/media/movies/c.mkv", "--output", "/media/out/c", "--webhook-secret", "s",
                "--coordinator", cluster.url(), "--token", cluster.clientToken());
        assertThat(orphan.exitCode()).isEqualTo(2);
        assertThat(orphan.stderr()).contains("--webhook is needed by --webhook-secret");
    }

    private static Set<String> stateOf(JsonNode deliveries, String host) {
        Set<String> states = new java.util.HashSet<>();
        for (JsonNode d : deliveries) if (d.path("url").asText().contains(host)) states.add(d.path("state").asText());
        return states;
    }
}
