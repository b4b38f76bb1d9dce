package dev.spool.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.schedule.TaskTimeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * task_timeout on the wire: a worker that keeps syncing (renewing its lease) while its task goes
 * nowhere loses the task once it is over its limit, and its next sync says to stop that lease.
 */
class TaskTimeoutApiTest {
    @TempDir Path dataDir;
    private Coordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) coordinator.close();
    }

    @Test
    void aTaskOverItsTimeLimitIsTakenBackAndTheWorkersNextSyncSaysToStopIt() throws Exception {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), CoordinatorApiContract.RETRY, Duration.ofMillis(200), TaskTimeout.seconds(1)), Clock.systemUTC());
        RawHttp http = new RawHttp(coordinator.port());
        String join = token("SPOOL_JOIN_TOKEN");
        RawHttp.Reply registered = http.post("/api/v1/workers/register", join, """
                {"worker_id":"w1","protocol":3,"slots":1,
                 "capabilities":{"supported_codecs":["libx264"],"has_gpu":false,"max_resolution":"1080p"}}""");
        String credential = registered.json().path("credential").asText();
        RawHttp.Reply submitted = http.post("/api/v1/jobs", token("SPOOL_TOKEN"), CoordinatorApiContract.job("in/a.mp4", ""));
        String jobId = submitted.json().path("job_id").asText();
        JsonNode assigned = http.post("/api/v1/workers/sync", credential, """
                {"worker_id":"w1","status":"IDLE","current_job_id":"","wait_ms":5000}""").json().path("assigned_job");
        String lease = assigned.at("/lease/lease_id").asText();
        assertThat(lease).isNotBlank();

        JsonNode reply = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {   // the worker goes on syncing, busy, naming its lease
            reply = http.post("/api/v1/workers/sync", credential, """
                    {"worker_id":"w1","status":"BUSY","current_job_id":"%s","leases":["%s"]}""".formatted(jobId, lease)).json();
            if (reply.has("stop")) break;
            Thread.sleep(200);
        }

        assertThat(reply.path("stop")).as(reply.toString()).extracting(JsonNode::asText).containsExactly(lease);
        assertThat(reply.has("cancel")).as("the job goes on: only this task stops").isFalse();
        JsonNode job = http.get("/api/v1/jobs/" + jobId, token("SPOOL_TOKEN")).json();
        assertThat(job.path("events")).filteredOn(e -> e.path("type").asText().equals("timed-out")).singleElement()
                .satisfies(e -> assertThat(e.path("detail").asText()).contains("over its time limit of 1 s"));
        RawHttp.Reply late = http.patch("/api/v1/jobs/" + jobId, credential, CoordinatorApiContract.progress(50, lease));
        assertThat(late.status()).as("the taken-back lease is fenced off").isEqualTo(409);
    }

    private String token(String name) throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens")).stream().filter(l -> l.startsWith(name + "="))
                .map(l -> l.substring(name.length() + 1)).findFirst().orElseThrow();
    }
}
