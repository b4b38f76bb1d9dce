package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.storage.S3Server;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs whose input and output live in an S3-compatible store (S3Proxy on loopback), run by
 * worker processes that share no disk: each has its own --root and cache, and the pieces of a
 * split job travel through the store.
 */
class S3ClusterIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    @TempDir static Path serverDir;
    private static S3Server s3;
    @TempDir Path dir;
    private Cluster cluster;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = S3Server.start(serverDir);
        s3.createBucket("media");
        Path clip = TestMedia.get("s3-cluster-120s.mp4", SampleMedia.Spec.video(640, 360, 30, 120));
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket("media").key("in/clip.mp4"), RequestBody.fromFile(clip));
        }
    }

    @AfterAll
    static void stopStore() throws Exception {
        s3.close();
    }

    @BeforeEach
    void createCluster() throws Exception {
        cluster = new Cluster(dir);
        cluster.startCoordinator("--heartbeat", "1");
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void anS3InputBecomesAnS3LadderThroughTwoWorkersThatShareNoDisk() throws Exception {
        for (String id : List.of("left", "right")) startWorker(id);

        String id = cluster.submit("s3://media/in/clip.mp4", "s3://media/out/clip", Map.of("piece_seconds", 30), "240p");
        JsonNode job = cluster.awaitJob(id, S3ClusterIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("outputs").path("manifest_url").asText()).isEqualTo("s3://media/out/clip/index.m3u8");
        Set<String> encoders = new HashSet<>();
        for (JsonNode t : job.path("tasks")) if (t.path("kind").asText().startsWith("encode-")) encoders.add(t.path("worker").asText());
        assertThat(encoders).as("both workers encoded pieces").containsExactlyInAnyOrder("left", "right");

        Path local = download("out/clip/", dir.resolve("fetched"));
        assertThat(local.resolve("index.m3u8")).exists();
        assertThat(local.resolve(".spool-ladder")).as("the marker that lets a later run replace this ladder").exists();
        StreamFacts video = new StreamProbe(TestMedia.TOOLS).first(local.resolve("240p/index.m3u8"), "video");
        assertThat(video.packets()).hasSize(3600);
        Verified.output(local);
        // the package worker deletes the pieces once the coordinator has accepted its result
        Poll.until(Duration.ofSeconds(20), Duration.ofMillis(200), "no pieces are left behind", () -> keys("out/"),
                keys -> keys.stream().noneMatch(k -> k.contains("spool-pieces")));
    }

    @Test
    void aMissingObjectOrBucketFailsTheJobNamingItWithoutEndlessRetries() throws Exception {
        startWorker("only");

        String missingObject = cluster.submit("s3://media/in/nope.mp4", "s3://media/out/nope", Map.of(), "240p");
        String missingBucket = cluster.submit("s3://no-such-bucket/in/a.mp4", "s3://media/out/a", Map.of(), "240p");
        JsonNode object = cluster.awaitJob(missingObject, S3ClusterIT::ended, JOB_TIMEOUT);
        JsonNode bucket = cluster.awaitJob(missingBucket, S3ClusterIT::ended, JOB_TIMEOUT);

        assertThat(object.path("state").asText()).isEqualTo("FAILED");
        assertThat(object.path("error").asText()).contains("s3://media/in/nope.mp4").contains("does not exist");
        assertThat(bucket.path("state").asText()).isEqualTo("FAILED");
        assertThat(bucket.path("error").asText()).contains("no-such-bucket").contains("does not exist");
        assertThat(object.path("tasks").get(0).path("attempts").asInt()).as("an input error is retried once, not max times").isEqualTo(2);
    }

    @Test
    void aPlaceHoldingSomeoneElsesObjectsIsNotReplaced() throws Exception {
        try (S3Client client = s3.client()) {
            client.putObject(r -> r.bucket("media").key("theirs/report.pdf"), RequestBody.fromString("not a ladder"));
        }
        startWorker("careful");

        String id = cluster.submit("s3://media/in/clip.mp4", "s3://media/theirs", Map.of("piece_seconds", 0), "240p");
        JsonNode job = cluster.awaitJob(id, S3ClusterIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).isEqualTo("FAILED");
        assertThat(job.path("error").asText()).contains("s3://media/theirs").contains("Spool did not write");
        assertThat(keys("theirs/")).containsExactly("theirs/report.pdf");
    }

    private void startWorker(String id) throws Exception {
        Path root = Files.createDirectories(dir.resolve("disk-" + id));
        cluster.startWorker(id, Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY),
                "--root", root.toString(), "--s3-endpoint", s3.endpoint().toString());
    }

    private static List<String> keys(String prefix) {
        try (S3Client client = s3.client()) {
            // S3Proxy's filesystem store lists its directories as "folder/" markers: not objects
            return client.listObjectsV2Paginator(r -> r.bucket("media").prefix(prefix)).contents().stream().map(S3Object::key)
                    .filter(k -> !k.endsWith("/")).toList();
        }
    }

    private static Path download(String prefix, Path to) throws Exception {
        try (S3Client client = s3.client()) {
            for (String key : keys(prefix)) {
                Path file = to.resolve(key.substring(prefix.length()));
                Files.createDirectories(file.getParent());
                client.getObject(r -> r.bucket("media").key(key), file);
            }
        }
        return to;
    }

    private static boolean ended(JsonNode job) {
        return Cluster.state(job, "COMPLETED") || Cluster.state(job, "FAILED") || Cluster.state(job, "CANCELLED");
    }
}
