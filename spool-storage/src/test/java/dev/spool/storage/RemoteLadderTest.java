package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import dev.spool.model.storage.CommitGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing ladders to a real S3-compatible server: master last, replacing only Spool's own objects, nothing left by a failure. */
class RemoteLadderTest {
    private static final TransferRetry QUICK = new TransferRetry(3, Duration.ofMillis(50), Duration.ofMillis(100));
    @TempDir static Path serverDir;
    private static S3Server server;
    @TempDir Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start(serverDir);
        server.createBucket("ladders");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aRepublishReplacesTheEarlierLadderAndDeletesOnlyItsLeftovers() throws Exception {
        ObjectLocation target = ObjectLocation.parse("s3://ladders/film").orElseThrow();
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            RemoteLadder.publish(store, ladder("first", 3), target, "index.m3u8", "job_a", CommitGate.OPEN, TransferLog.NONE);
            store.upload(Files.writeString(dir.resolve("notes.txt"), "mine"), target.parent().child("film-notes.txt"), TransferLog.NONE);

            ObjectLocation master = RemoteLadder.publish(store, ladder("second", 2), target, "index.m3u8", "job_b", CommitGate.OPEN, TransferLog.NONE);

            assertThat(master.toString()).isEqualTo("s3://ladders/film/index.m3u8");
            assertThat(keys(store, target)).containsExactlyInAnyOrder("film/.spool-ladder", "film/index.m3u8",
                    "film/240p/index.m3u8", "film/240p/seg_00000.m4s", "film/240p/seg_00001.m4s");
            store.download(target.child("240p/seg_00000.m4s"), dir.resolve("check.m4s"), TransferLog.NONE);
            assertThat(Files.readString(dir.resolve("check.m4s"))).isEqualTo("second 0");
            assertThat(store.exists(target.parent().child("film-notes.txt"))).as("a neighbour is not touched").isTrue();
        }
    }

    @Test
    void aPublishCalledOffBeforeItsMasterLeavesNoLadderAndNothingOfItsOwn() throws Exception {
        ObjectLocation target = ObjectLocation.parse("s3://ladders/stopped").orElseThrow();
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            Path ladder = ladder("x", 2);
            long files;
            try (var walk = Files.walk(ladder)) {
                files = walk.filter(Files::isRegularFile).count();
            }
            // one check before the first change, one per medium and the marker, and the last before the master
            CommitGate lostBeforeTheMaster = gate(() -> { }, files + 2);
            assertThatThrownBy(() -> RemoteLadder.publish(store, ladder, target, "index.m3u8", "job_c",
                    lostBeforeTheMaster, TransferLog.NONE))
                    .isInstanceOf(SpoolError.class);

            assertThat(keys(store, target)).as("only the marker: no master, no media").containsExactly("stopped/.spool-ladder");
        }
    }

    @Test
    void aRefusedCommitChangesNothingOfTheEarlierLadder() throws Exception {
        ObjectLocation target = ObjectLocation.parse("s3://ladders/refused").orElseThrow();
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            RemoteLadder.publish(store, ladder("winner", 2), target, "index.m3u8", "job_w", CommitGate.OPEN, TransferLog.NONE);
            List<String> before = keys(store, target);

            CommitGate refused = gate(() -> { throw new SpoolError(SpoolError.Code.CONFLICT, "lease_id", "the lease is gone"); }, Long.MAX_VALUE);
            assertThatThrownBy(() -> RemoteLadder.publish(store, ladder("stale", 3), target, "index.m3u8", "job_w", refused, TransferLog.NONE))
                    .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("the lease is gone"));

            assertThat(keys(store, target)).as("the winner's ladder, master included, untouched").isEqualTo(before)
                    .contains("refused/index.m3u8");
        }
    }

    /** A gate whose grant does {@code onAcquire} and whose {@code failAt}-th check finds the grant gone. */
    private static CommitGate gate(Runnable onAcquire, long failAt) {
        return new CommitGate() {
            private long checks;
            @Override public void acquire(Path staged) { onAcquire.run(); }
            @Override public void check() {
                if (++checks >= failAt) throw SpoolError.interrupted("the lease was lost");
            }
        };
    }

    @Test
    void aPlaceHoldingOtherObjectsOrAWholeBucketIsRefused() throws Exception {
        try (ObjectStore store = new S3ObjectStore(server.settings(), QUICK)) {
            ObjectLocation theirs = ObjectLocation.parse("s3://ladders/theirs").orElseThrow();
            store.upload(Files.writeString(dir.resolve("a.pdf"), "pdf"), theirs.child("a.pdf"), TransferLog.NONE);

            assertThatThrownBy(() -> RemoteLadder.publish(store, ladder("y", 1), theirs, "index.m3u8", "job_d", CommitGate.OPEN, TransferLog.NONE))
                    .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("Spool did not write"));
            assertThatThrownBy(() -> RemoteLadder.publish(store, ladder("z", 1), ObjectLocation.parse("s3://ladders").orElseThrow(),
                    "index.m3u8", "job_e", CommitGate.OPEN, TransferLog.NONE))
                    .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("whole bucket"));
            assertThat(keys(store, theirs)).containsExactly("theirs/a.pdf");
        }
    }

    /** A stand-in ladder: a master, one rung with {@code segments} segments whose bytes name the run. */
    private Path ladder(String run, int segments) throws Exception {
        Path root = Files.createDirectories(dir.resolve(run));
        Path rung = Files.createDirectories(root.resolve("240p"));
        StringBuilder playlist = new StringBuilder("#EXTM3U\n");
        for (int i = 0; i < segments; i++) {
            String name = String.format("seg_%05d.m4s", i);
            Files.writeString(rung.resolve(name), run + " " + i);
            playlist.append("#EXTINF:6.0,\n").append(name).append('\n');
        }
        Files.writeString(rung.resolve("index.m3u8"), playlist + "#EXT-X-ENDLIST\n");
        Files.writeString(root.resolve("index.m3u8"), "#EXTM3U\n240p/index.m3u8\n");
        return root;
    }

    private static List<String> keys(ObjectStore store, ObjectLocation prefix) {
        return store.list(prefix).stream().map(ObjectLocation::key).toList();
    }
}
