package dev.spool.coordinator.queue;

import dev.spool.model.job.JobSpec;
import dev.spool.model.job.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two coordinators on one PostgreSQL: a submit through one wakes the other's waiting workers. */
class PostgresWorkAnnouncementTest {

    @Test
    void aSubmitOnOneCoordinatorIsAnnouncedToAnotherThroughListenNotify() throws Exception {
        String url = EmbeddedPostgres.shared().createDatabase("work_announcement");
        try (JobQueue listening = Database.postgres(url); JobQueue submitting = Database.postgres(url)) {
            submitting.listeners().add(submitting.announcer());   // as the coordinator wires it at start
            CountDownLatch announced = new CountDownLatch(1);
            try (AutoCloseable listener = listening.onWorkAnnounced(announced::countDown)) {
                // the LISTEN is issued on the listener's own connection; give it a moment to be in place
                Instant deadline = Instant.now().plusSeconds(10);
                while (announced.getCount() > 0 && Instant.now().isBefore(deadline)) {
                    submitting.submit(new JobSpec("/in/a.mp4", "/out/a", List.of(), null, null, null, Priority.NORMAL,
                            Map.of(), null, null, null), new Requirements("libx264", 0, "transcode"), Instant.now(), RetryPolicy.DEFAULT);
                    announced.await(500, TimeUnit.MILLISECONDS);
                }
                assertThat(announced.getCount()).as("the other coordinator heard of the new work").isZero();
            }
        }
    }
}
