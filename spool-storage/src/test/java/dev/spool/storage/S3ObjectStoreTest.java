package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 store against a real S3-compatible server (S3Proxy on loopback): round trips, multipart
 * uploads, a server killed and restarted mid-upload, a connection cut mid-download, and the
 * errors retrying cannot fix.
 */
class S3ObjectStoreTest {
    private static final TransferRetry QUICK = new TransferRetry(8, Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final TransferRetry OUTLASTS_A_RESTART = new TransferRetry(20, Duration.ofMillis(200), Duration.ofSeconds(3));
    @TempDir static Path serverDir;
    private static S3Server server;
    @TempDir Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir);
        server.createBucket("media");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aSmallFileGoesUpAndComesBackByteForByte() throws Exception {
        Path file = randomFile("small.bin", 300_000);
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            ObjectLocation at = ObjectLocation.parse("s3://media/in/small.bin").orElseThrow();
            store.upload(file, at, TransferLog.NONE);
            store.download(at, dir.resolve("back.bin"), TransferLog.NONE);

            assertThat(dir.resolve("back.bin")).hasSameBinaryContentAs(file);
            assertThat(store.size(at)).isEqualTo(300_000);
            assertThat(store.list(ObjectLocation.parse("s3://media/in").orElseThrow())).containsExactly(at);
        }
    }

    @Test
    void objectsAreListedUnderAPrefixAndDeletedTogether() throws Exception {
        Path file = randomFile("tiny.bin", 10);
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            ObjectLocation dirLocation = ObjectLocation.parse("s3://media/list").orElseThrow();
            for (String name : List.of("a/1.bin", "a/2.bin", "b.bin")) store.upload(file, dirLocation.child(name), TransferLog.NONE);

            store.delete(List.of(dirLocation.child("a/1.bin"), dirLocation.child("b.bin")));

            assertThat(store.list(dirLocation)).containsExactly(dirLocation.child("a/2.bin"));
            assertThat(store.exists(dirLocation.child("b.bin"))).isFalse();
        }
    }

    @Test
    void aLargeFileIsUploadedInPartsAndReadBackWhole() throws Exception {
        Path file = randomFile("large.bin", S3ObjectStore.PART_BYTES * 2 + 12_345);
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            ObjectLocation at = ObjectLocation.parse("s3://media/large.bin").orElseThrow();
            store.upload(file, at, TransferLog.NONE);
            store.download(at, dir.resolve("back.bin"), TransferLog.NONE);

            assertThat(md5(dir.resolve("back.bin"))).isEqualTo(md5(file));
        }
    }

    @Test
    void anUploadOutlastsTheServerBeingKilledAndRestarted() throws Exception {
        Path file = randomFile("big.bin", S3ObjectStore.PART_BYTES * 4);
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        ObjectLocation at = ObjectLocation.parse("s3://media/restart/big.bin").orElseThrow();
        // retries that outlast S3Proxy's restart (a JVM start: 10 s and more on a loaded 2-core machine)
        try (ObjectStore store = new S3ObjectStore(server.settings(), OUTLASTS_A_RESTART)) {
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> store.upload(file, at, notes::add));
            Thread.sleep(300);
            server.stop();
            Thread.sleep(1500);
            server.start();
            upload.get(2, TimeUnit.MINUTES);

            store.download(at, dir.resolve("back.bin"), TransferLog.NONE);
            assertThat(md5(dir.resolve("back.bin"))).isEqualTo(md5(file));
        }
        assertThat(notes).as("each failed attempt is on record").anyMatch(n -> n.contains("attempt 1 failed"));
    }

    @Test
    void aDownloadCutHalfWayResumesFromTheLastByte() throws Exception {
        Path file = randomFile("cut.bin", 5_000_000);
        ObjectLocation at = ObjectLocation.parse("s3://media/cut.bin").orElseThrow();
        try (ObjectStore direct = new S3ObjectStore(server.settings(), QUICK)) {
            direct.upload(file, at, TransferLog.NONE);
        }
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        try (CuttingProxy proxy = new CuttingProxy(server.port(), 2_000_000);
             ObjectStore viaProxy = new S3ObjectStore(new S3Settings(URI.create("http://127.0.0.1:" + proxy.port()), null, true,
                     S3Server.ACCESS_KEY, S3Server.SECRET_KEY), QUICK)) {
            viaProxy.download(at, dir.resolve("back.bin"), notes::add);

            assertThat(proxy.cuts()).isEqualTo(1);
        }
        assertThat(dir.resolve("back.bin")).hasSameBinaryContentAs(file);
        assertThat(notes).anyMatch(n -> n.contains("resumes at byte"));
    }

    @Test
    void whatRetryingCannotFixFailsAtOnceNamingTheObject() throws Exception {
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            assertThatThrownBy(() -> store.download(ObjectLocation.parse("s3://media/nope.mp4").orElseThrow(), dir.resolve("x"), TransferLog.NONE))
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
                        assertThat(e.getMessage()).contains("s3://media/nope.mp4").contains("does not exist");
                    });
            assertThatThrownBy(() -> store.size(ObjectLocation.parse("s3://no-such-bucket/a.mp4").orElseThrow()))
                    .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("bucket no-such-bucket does not exist"));
        }
        try (ObjectStore wrongKey = new S3ObjectStore(new S3Settings(server.endpoint(), null, true, S3Server.ACCESS_KEY, "wrong"), QUICK)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> wrongKey.size(ObjectLocation.parse("s3://media/cut.bin").orElseThrow()))
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
                        assertThat(e.getMessage()).contains("access denied");
                    });
        }
    }

    @Test
    void anUnreachableServerIsAStorageErrorAfterTheRetries() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<String> notes = new ArrayList<>();
        TransferRetry three = new TransferRetry(3, Duration.ofMillis(10), Duration.ofMillis(20));
        try (ObjectStore store = new S3ObjectStore(new S3Settings(URI.create("http://127.0.0.1:" + closedPort), null, true,
                S3Server.ACCESS_KEY, S3Server.SECRET_KEY), three)) {
            assertThatThrownBy(() -> store.upload(randomFile("u.bin", 10), ObjectLocation.parse("s3://media/u.bin").orElseThrow(), notes::add))
                    .isInstanceOfSatisfying(SpoolError.class, e -> {
                        assertThat(e.code()).isEqualTo(SpoolError.Code.STORAGE);
                        assertThat(e.getMessage()).contains("s3://media/u.bin").contains("after 3 attempts");
                    });
        }
        assertThat(notes).hasSize(2);
    }

    private Path randomFile(String name, int bytes) throws Exception {
        byte[] data = new byte[bytes];
        new Random(bytes).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private static String md5(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }
}
