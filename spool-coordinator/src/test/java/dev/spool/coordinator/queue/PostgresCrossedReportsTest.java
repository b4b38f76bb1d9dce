package dev.spool.coordinator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.testing.Poll;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.JobState;
import dev.spool.model.job.Priority;
import dev.spool.model.job.TaskState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a worker's report and the lease reaper can be in flight at once (HTTP threads and
 * the reaper share a pool; several coordinators share the database). Each test holds the task's
 * row lock from a plain connection so that both transactions have read the task as LEASED before
 * either writes, lets the report commit first, and checks that the reaper's late write is fenced.
 */
class PostgresCrossedReportsTest {
    static final Instant T0 = JobQueueContract.T0;
    static final Duration LEASE = JobQueueContract.LEASE;
    static final Duration WAIT = Duration.ofSeconds(10);

    private String url;
    private JobQueue queue;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void open() {
        url = EmbeddedPostgres.shared().createDatabase("crossed_reports");
        queue = Database.postgres(url);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        queue.close();
    }

    @Test
    void aCompletionThatCrossesTheLeaseReaperStaysTheOnlyResult() throws Exception {
        String jobId = submit();
        Claim claim = queue.claim(JobQueueContract.W1, T0, LEASE).orElseThrow();

        crossWithReaper(claim.task().id(),
                // just inside the lease; the reaper runs just after it ended
                () -> queue.complete(jobId, JobQueueContract.lease(claim), "/out/a/master.m3u8", 1, T0.plus(LEASE).minusSeconds(1)));

        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(queue.tasks(jobId).get(0).state()).as("the completed task stays done").isEqualTo(TaskState.DONE);
        assertThat(queue.hasDueTasks(T0.plusSeconds(3600))).isFalse();
        assertThat(queue.claim(JobQueueContract.W2, T0.plusSeconds(3600), LEASE)).as("nothing to encode twice").isEmpty();
    }

    @Test
    void aCancelThatCrossesTheLeaseReaperKeepsTheTaskCancelled() throws Exception {
        String jobId = submit();
        Claim claim = queue.claim(JobQueueContract.W1, T0, LEASE).orElseThrow();

        crossWithReaper(claim.task().id(), () -> queue.cancel(jobId, T0.plus(LEASE).plusSeconds(1)));

        assertThat(queue.job(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(queue.tasks(jobId).get(0).state()).as("the cancelled task stays cancelled").isEqualTo(TaskState.CANCELLED);
        assertThat(queue.claim(JobQueueContract.W2, T0.plusSeconds(3600), LEASE)).as("a cancelled job is not handed out").isEmpty();
    }

    private String submit() {
        JobSpec spec = new JobSpec("/in/a.mp4", "/out/a", List.of(), null, null, null, Priority.NORMAL,
                Map.of("movie_id", "1"), null, null, 0);
        return queue.submit(spec, JobQueueContract.H264, T0, JobQueueContract.RETRY).job().id();
    }

    /**
     * Runs {@code report}, then the reaper at just past the lease's end, both blocked on the task's
     * row; releases the row; the report gets it first. Each must finish without hanging.
     */
    private void crossWithReaper(String taskId, Callable<?> report) throws Exception {
        try (Connection holder = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM tasks WHERE id = ? FOR UPDATE")) {
                lock.setString(1, taskId);
                lock.executeQuery().close();
            }
            Future<?> reported = threads.submit(report);
            awaitBlocked(holder, 1);
            Future<List<Task>> reaped = threads.submit(() -> queue.requeueExpired(T0.plus(LEASE).plusSeconds(1), JobQueueContract.RETRY));
            awaitBlocked(holder, 2);
            holder.rollback();

            reported.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            reaped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Polls until this many backends of the test database wait on a lock. */
    private static void awaitBlocked(Connection c, int waiting) throws SQLException, InterruptedException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            Poll.until(WAIT, waiting + " transactions are blocked on the task row", () -> {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }, blocked -> blocked >= waiting);
        }
    }
}
