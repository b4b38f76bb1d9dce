package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.job.Priority;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The events contract (listeners, outbox) on a real PostgreSQL, a new database per test. */
class PostgresEventsTest extends EventsContract {

    /**
     * Two coordinators write events at once: the one that took the smaller id commits last. A
     * reader resuming after the larger id would never see the smaller one; the outbox waits instead.
     */
    @Test
    void theOutboxDoesNotLetALaterCommitOvertakeAnEventStillBeingWritten() throws Exception {
        String a = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
        EventCursor start = queue.eventsAfter(EventCursor.START, 100).next();
        try (Connection slow = DriverManager.getConnection(url)) {
            slow.setAutoCommit(false);
            new JobLocks(new Dialect.Postgres()).lock(new Tx(slow), a).event(null, null, EventType.CANCELLED, "written first, committed last", T0);
            String b = queue.submit(spec("b", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
            assertThat(queue.events(b)).as("committed").hasSize(1);

            assertThat(queue.eventsAfter(start, 100).events()).as("nothing after the open transaction's event yet").isEmpty();

            slow.commit();
        }
        JobQueue.EventPage page = queue.eventsAfter(start, 100);
        assertThat(page.events()).extracting(Event::detail).containsExactly("written first, committed last", "priority NORMAL");
        assertThat(queue.eventsAfter(page.next(), 100).events()).isEmpty();
    }

    private String url;

    @Override
    JobQueue newStore() {
        url = EmbeddedPostgres.shared().createDatabase("listeners");
        return Database.postgres(url);
    }

    @Override
    String jdbcUrl() {
        return url;
    }
}
