package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.job.Priority;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs list's text search at 100,000 jobs on SQLite: the first page of a search that matches
 * one job (every row looked at), one that matches most, an id prefix, and the plain list, timed
 * (median of five) and printed; each must stay well under a second. The rows are written in bulk,
 * each a copy of one job submitted through the queue with its own input, output and label.
 */
class SqliteJobSearchScaleTest {
    static final int JOBS = 100_000;

    @TempDir Path dataDir;
    private JobQueue queue;

    @AfterEach
    void close() {
        if (queue != null) queue.close();
    }

    @Test
    void aSearchAmongAHundredThousandJobsAnswersItsFirstPageWellUnderASecond() throws SQLException {
        queue = Database.sqlite(dataDir);
        String template = queue.submit(JobQueueContract.spec("template", Priority.NORMAL, Map.of("movie_id", "tt0"), null), H264, T0, RETRY)
                .job().id();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.SQLITE_FILE));
             PreparedStatement fill = c.prepareStatement("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?) "
                     + "INSERT INTO jobs (id, state, priority, spec, created_at, search) "
                     + "SELECT printf('job_f%010d', n), CASE WHEN n % 10 = 0 THEN 'QUEUED' ELSE 'COMPLETED' END, 2, "
                     + "(SELECT spec FROM jobs WHERE id = ?), ? + n, "
                     + "printf('/nas/movies/title-%d.mkv' || char(10) || '/nas/processed/title-%d' || char(10) || 'tt%07d', n, n, n) FROM g")) {
            fill.setInt(1, JOBS);
            fill.setString(2, template);
            fill.setLong(3, T0.toEpochMilli());
            fill.executeUpdate();
            c.createStatement().execute("ANALYZE");
        }

        long one = median(() -> queue.jobs(Optional.empty(), Optional.empty(), false, Optional.of("tt0012345"), 50, Optional.empty()).jobs().size(), 1);
        long most = median(() -> queue.jobs(Optional.empty(), Optional.empty(), false, Optional.of("Movies/Title"), 50, Optional.empty()).jobs().size(), 50);
        long prefix = median(() -> queue.jobs(Optional.empty(), Optional.empty(), false, Optional.of("job_f000001234"), 50, Optional.empty()).jobs().size(), 10);
        long queued = median(() -> queue.jobs(Optional.of(dev.spool.model.job.JobState.QUEUED), Optional.empty(), false, Optional.of("title-9999"),
                50, Optional.empty()).jobs().size(), 1);   // of title-9999 and title-9999x only 99990 is queued
        long plain = median(() -> queue.jobs(Optional.empty(), Optional.empty(), false, Optional.empty(), 50, Optional.empty()).jobs().size(), 50);
        System.err.printf("jobs search at %,d jobs (SQLite, median of 5): one match %d ms, most match %d ms, id prefix %d ms, "
                + "queued + text %d ms, no search %d ms%n", JOBS + 1, one, most, prefix, queued, plain);
        assertThat(one).as("a search that reads every row").isLessThan(1000);
        assertThat(most).isLessThan(1000);
        assertThat(plain).isLessThan(1000);
    }

    /** The median of five runs in milliseconds, each finding {@code expected} jobs. */
    private static long median(Supplier<Integer> run, int expected) {
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            assertThat(run.get()).isEqualTo(expected);
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(ms);
        return ms[2];
    }
}
