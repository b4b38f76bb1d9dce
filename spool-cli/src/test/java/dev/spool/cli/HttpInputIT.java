package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.spool.media.ffmpeg.SampleMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** An http:// input: downloaded once by the worker, reused for every piece, and a URL that answers 404 fails the job. */
class HttpInputIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    @TempDir Path dir;
    private Cluster cluster;
    private HttpServer server;
    private final AtomicInteger downloads = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        byte[] clip = Files.readAllBytes(TestMedia.get("http-input-70s.mp4", SampleMedia.Spec.video(480, 270, 30, 70)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/media/clip.mp4", e -> {
            if (e.getRequestMethod().equals("GET")) downloads.incrementAndGet();
            e.getResponseHeaders().add("Content-Length", Integer.toString(clip.length));
            e.sendResponseHeaders(200, e.getRequestMethod().equals("HEAD") ? -1 : clip.length);
            if (e.getRequestMethod().equals("GET")) try (OutputStream out = e.getResponseBody()) {
                out.write(clip);
            }
            e.close();
        });
        server.start();
        cluster = new Cluster(dir);
        cluster.startCoordinator("--heartbeat", "1");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        server.stop(0);
    }

    @Test
    void anHttpInputIsDownloadedOnceForEveryPieceOfItsJob() throws Exception {
        Path root = Files.createDirectories(dir.resolve("disk"));
        cluster.startWorker("fetcher", "--root", root.toString(), "--allow-private-urls");
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/media/clip.mp4";

        String id = cluster.submit(url, root.resolve("out").toString(), Map.of("piece_seconds", 30), "240p");
        JsonNode job = cluster.awaitJob(id, HttpInputIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.path("pieces").asInt()).isEqualTo(3);
        assertThat(downloads.get()).as("one download served the probe, three pieces, the audio and the package").isEqualTo(1);
        assertThat(root.resolve("out/index.m3u8")).exists();
        Verified.output(root.resolve("out"));
    }

    @Test
    void aUrlThatAnswers404FailsTheJobNamingIt() throws Exception {
        cluster.startWorker("fetcher", "--allow-private-urls");
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/media/nope.mp4";

        String id = cluster.submit(url, dir.resolve("out").toString(), Map.of(), "240p");
        JsonNode job = cluster.awaitJob(id, HttpInputIT::ended, JOB_TIMEOUT);

        assertThat(job.path("state").asText()).isEqualTo("FAILED");
        assertThat(job.path("error").asText()).contains(url).contains("does not exist (HTTP 404)");
    }

    private static boolean ended(JsonNode job) {
        return Cluster.state(job, "COMPLETED") || Cluster.state(job, "FAILED");
    }
}
