package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight workers, each with its own claim loop, race for fifty tasks: every task goes to exactly
 * one of them, and nothing is handed out once the queue is empty. PostgreSQL claims with
 * FOR UPDATE SKIP LOCKED on a pool of connections; SQLite serializes on its one connection.
 */
class PostgresClaimRaceTest {
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);
    static final int TASKS = 50;
    static final int WORKERS = 8;
    static final Duration RACE_DEADLINE = Duration.ofSeconds(60);

    @Test
    void eightWorkersRacingOnPostgresClaimEveryTaskExactlyOnce() throws Exception {
        try (JobQueue queue = Database.postgres(EmbeddedPostgres.shared().createDatabase("claim_race"))) {
            raceAndCheck(queue, List.of(queue));
        }
    }

    @Test
    void eightWorkersRacingThroughTwoCoordinatorsOnOnePostgresClaimEveryTaskExactlyOnce() throws Exception {
        String url = EmbeddedPostgres.shared().createDatabase("claim_race_two");
        try (JobQueue first = Database.postgres(url); JobQueue second = Database.postgres(url)) {
            raceAndCheck(first, List.of(first, second));
        }
    }

    @Test
    void eightWorkersRacingOnSqliteClaimEveryTaskExactlyOnce(@TempDir Path dataDir) throws Exception {
        try (JobQueue queue = Database.sqlite(dataDir)) {
            raceAndCheck(queue, List.of(queue));
        }
    }

    /** Submits the tasks through {@code queue}, then races one thread per worker, spread over {@code coordinators}. */
    private static void raceAndCheck(JobQueue queue, List<JobQueue> coordinators) throws Exception {
        Set<String> submitted = new HashSet<>();
        Priority[] priorities = Priority.values();
        for (int i = 0; i < TASKS; i++) {
            JobSpec spec = new JobSpec("/in/race-" + i + ".mp4", "/out/race-" + i, List.of(), null, null, null,
                    priorities[i % priorities.length], Map.of("movie_id", String.valueOf(i)), null, null, null);
            String jobId = queue.submit(spec, new Requirements("libx264", 720, "transcode"), T0.plusMillis(i),
                    JobQueueContract.RETRY).job().id();
            submitted.add(queue.tasks(jobId).get(0).id());
        }
        List<WorkerFit> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            Set<String> encoders = i % 2 == 0 ? Set.of("libx264") : Set.of("libx264", "libx265");
            Set<String> pools = i % 3 == 0 ? Set.of("transcode", "thumbs") : Set.of("transcode");
            workers.add(new WorkerFit("racer-" + i, encoders, i % 2 == 0 ? 1080 : 2160, pools));
        }
        Instant now = T0.plusSeconds(1);

        ConcurrentLinkedQueue<Claim> claims = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Claim> lateClaims = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                WorkerFit worker = workers.get(i);
                JobQueue via = coordinators.get(i % coordinators.size());
                loops.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + RACE_DEADLINE.toNanos();
                    while (System.nanoTime() < deadline) {
                        Optional<Claim> claim = via.claim(worker, now, LEASE);
                        if (claim.isPresent()) {
                            claims.add(claim.get());
                        } else if (!via.hasDueTasks(now)) {
                            // the queue is empty: one more try must get nothing
                            via.claim(worker, now, LEASE).ifPresent(lateClaims::add);
                            return null;
                        }
                        // else: the rest were locked by other claims in flight; try again
                    }
                    throw new AssertionError(worker.workerId() + " still saw due tasks after " + RACE_DEADLINE);
                }));
            }
            start.countDown();
            for (Future<?> loop : loops) loop.get(RACE_DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        List<String> claimedTasks = claims.stream().map(c -> c.task().id()).toList();
        assertThat(claimedTasks).hasSize(TASKS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(claims.stream().map(c -> c.task().leaseId()).toList()).doesNotHaveDuplicates();
        assertThat(lateClaims).as("claims after the queue was empty").isEmpty();
        assertThat(queue.hasDueTasks(now)).isFalse();
        assertThat(queue.queueDepth()).isEmpty();
        for (WorkerFit worker : workers) assertThat(queue.claim(worker, now, LEASE)).isEmpty();

        // what each racer was told is what the database holds
        Map<String, Claim> byTask = new HashMap<>();
        for (Claim c : claims) byTask.put(c.task().id(), c);
        for (Claim c : byTask.values()) {
            Task stored = queue.tasks(c.job().id()).get(0);
            assertThat(stored.state()).isEqualTo(TaskState.LEASED);
            assertThat(stored.attempt()).isEqualTo(1);
            assertThat(stored.workerId()).isEqualTo(c.task().workerId());
            assertThat(stored.leaseId()).isEqualTo(c.task().leaseId());
            assertThat(queue.events(c.job().id()).stream().filter(e -> e.type() == EventType.LEASED)).hasSize(1);
        }
        long racersThatWon = claims.stream().map(c -> c.task().workerId()).distinct().count();
        System.err.printf("claim race: %d tasks over %d coordinator(s), %d of %d workers got some%n",
                TASKS, coordinators.size(), racersThatWon, WORKERS);
    }
}
