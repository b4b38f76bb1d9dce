package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.LEASE;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.encode.Ratio;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Split jobs under real concurrency on PostgreSQL (READ COMMITTED, many connections): workers
 * claiming a job's pieces all at once, and the last pieces completing at the same moment.
 */
class PostgresSplitRaceTest {
    private static final int WORKERS = 8;
    private JobQueue queue;
    private final ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 1);

    @BeforeEach
    void open() {
        queue = Database.postgres(EmbeddedPostgres.shared().createDatabase("split_race"));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        queue.close();
    }

    @Test
    void piecesCompletedAtTheSameMomentAlwaysQueueThePackage() throws Exception {
        for (int round = 0; round < 10; round++) {
            String jobId = splitJob("round-" + round, WORKERS);
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i <= WORKERS; i++) claims.add(queue.claim(worker("w" + i, "b"), T0.plusSeconds(2), LEASE).orElseThrow());
            CyclicBarrier together = new CyclicBarrier(claims.size());
            List<Future<?>> done = new ArrayList<>();
            for (Claim c : claims) done.add(threads.submit(() -> {
                together.await();
                return queue.complete(jobId, lease(c), SplitJobContract.pieceDone(c), T0.plusSeconds(3));
            }));
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);

            assertThat(queue.tasks(jobId).stream().filter(t -> t.kind() == TaskKind.PACKAGE).findFirst().orElseThrow().state())
                    .as("round " + round).isEqualTo(TaskState.QUEUED);
        }
    }

    @Test
    void workersClaimingAJobsPiecesAllAtOnceEachGetOneAndThePinIsOne() throws Exception {
        String jobId = splitJob("claims", WORKERS * 2);
        CyclicBarrier together = new CyclicBarrier(WORKERS);
        List<Future<List<Claim>>> got = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            WorkerFit w = worker("w" + i, i % 2 == 0 ? "build-a" : "build-b");
            got.add(threads.submit(() -> {
                together.await();
                List<Claim> mine = new ArrayList<>();
                for (int k = 0; k < 20; k++) queue.claim(w, T0.plusSeconds(2), LEASE).ifPresent(mine::add);   // until nothing fits
                return mine;
            }));
        }
        List<Claim> claims = new ArrayList<>();
        for (Future<List<Claim>> f : got) claims.addAll(f.get(60, TimeUnit.SECONDS));

        List<Claim> pieces = claims.stream().filter(c -> c.task().kind() == TaskKind.ENCODE_VIDEO).toList();
        assertThat(pieces).extracting(c -> c.task().id()).doesNotHaveDuplicates();
        String pinned = queue.job(jobId).orElseThrow().encoderBuild();
        assertThat(pieces).as("every piece from the pinned build").allSatisfy(c -> assertThat(c.task().workerId())
                .matches(pinned.equals("build-a") ? "w[0246]" : "w[1357]"));
        assertThat(pieces).hasSize(WORKERS * 2);
        assertThat(queue.events(jobId).stream().filter(e -> e.type() == EventType.PINNED)).hasSize(1);
    }

    /** A job already probed: {@code pieces} pieces of 6 s (and the audio). */
    private String splitJob(String name, int pieces) {
        JobSpec spec = new JobSpec("/in/" + name + ".mp4", "/out/" + name, List.of(), null, null, null, Priority.NORMAL,
                Map.of(), null, null, 6);
        String jobId = queue.submit(spec, H264, T0, RETRY).job().id();
        Claim probe = queue.claim(worker("prober", "b"), T0, LEASE).orElseThrow();
        queue.complete(jobId, lease(probe), new JobQueue.Outcome(null, 1, new WorkerMessages.Probed(6.0 * pieces, new Ratio(30, 1), true)),
                T0.plusSeconds(1));
        return jobId;
    }

    private static WorkerFit worker(String id, String build) {
        return new WorkerFit(id, Set.of("libx264"), 2160, Set.of("transcode"), TaskKind.ALL, build);
    }
}
