package dev.spool.coordinator.queue;

import static dev.spool.coordinator.queue.JobQueueContract.H264;
import static dev.spool.coordinator.queue.JobQueueContract.LEASE;
import static dev.spool.coordinator.queue.JobQueueContract.RETRY;
import static dev.spool.coordinator.queue.JobQueueContract.T0;
import static dev.spool.coordinator.queue.JobQueueContract.W1;
import static dev.spool.coordinator.queue.JobQueueContract.lease;
import static dev.spool.coordinator.queue.JobQueueContract.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spool.model.job.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events on every database: the after-commit listeners hear each committed transaction once, with
 * the typed events it wrote and whether it queued work, and never a rolled-back one; the outbox
 * hands every event out once, in order, page by page.
 */
abstract class EventsContract extends QueueContract {
    final List<Commit> heard = new CopyOnWriteArrayList<>();

    /** The JDBC URL of the queue's database, for a transaction of the test's own. */
    abstract String jdbcUrl();

    @BeforeEach
    void setUp() {
        queue.listeners().add(heard::add);
    }

    @Test
    void aListenerHearsTheTypedEventsOfEachCommittedTransaction() {
        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
        Claim claim = queue.claim(W1, T0.plusSeconds(1), LEASE).orElseThrow();
        queue.fail(jobId, lease(claim), "ffmpeg exited 1", true, T0.plusSeconds(2), RETRY);
        queue.job(jobId);
        queue.events(jobId);   // reads commit nothing worth hearing

        assertThat(heard).extracting(c -> c.events().stream().map(Event::type).toList(), Commit::queuedWork).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of(EventType.SUBMITTED), true),
                org.assertj.core.groups.Tuple.tuple(List.of(EventType.LEASED), false),
                org.assertj.core.groups.Tuple.tuple(List.of(EventType.FAILED), true));   // re-queued after its backoff
        List<Event> heardEvents = heard.stream().flatMap(c -> c.events().stream()).toList();
        assertThat(heardEvents).as("what was heard is what was stored, ids and all").isEqualTo(queue.events(jobId));
        assertThat(heardEvents).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aTaskThatFailsForGoodQueuesNoWork() {
        RetryPolicy once = new RetryPolicy(0, Duration.ZERO, 1.0);
        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, once).job().id();
        Claim claim = queue.claim(W1, T0.plusSeconds(1), LEASE).orElseThrow();
        heard.clear();

        queue.fail(jobId, lease(claim), "ffmpeg exited 1", true, T0.plusSeconds(2), once);

        assertThat(heard).singleElement().satisfies(c -> {
            assertThat(c.events()).extracting(Event::type).containsExactly(EventType.FAILED);
            assertThat(c.queuedWork()).as("nothing to claim: no worker needs waking").isFalse();
        });
    }

    @Test
    void aRolledBackTransactionIsNeverHeard() throws Exception {
        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
        QueueListeners listeners = new QueueListeners();
        List<Commit> ours = new CopyOnWriteArrayList<>();
        listeners.add(ours::add);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setMaximumPoolSize(1);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Sql sql = new Sql(dataSource, listeners);

            assertThatThrownBy(() -> sql.tx(c -> {
                new JobLocks(((JdbcJobQueue) queue).dialect()).lock(c, jobId).event(null, null, EventType.CANCELLED, "then the transaction fails", T0);
                c.queuedWork();
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");
            assertThat(ours).as("a rolled-back transaction is not heard").isEmpty();
            assertThat(queue.events(jobId)).extracting(Event::type).containsExactly(EventType.SUBMITTED);

            sql.tx(c -> {
                new JobLocks(((JdbcJobQueue) queue).dialect()).lock(c, jobId).event(null, null, EventType.CANCELLED, "committed", T0);
                return null;
            });
            assertThat(ours).singleElement().satisfies(c -> {
                assertThat(c.events()).extracting(Event::type, Event::detail).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EventType.CANCELLED, "committed"));
                assertThat(c.queuedWork()).isFalse();
            });
            assertThat(queue.events(jobId)).extracting(Event::type).containsExactly(EventType.SUBMITTED, EventType.CANCELLED);
        }
    }

    @Test
    void theOutboxHandsOutEveryEventOnceInOrderPageByPage() {
        String a = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
        // a millisecond later: the claim takes a (the oldest), and b is cancelled while queued
        String b = queue.submit(spec("b", Priority.NORMAL, Map.of(), null), H264, T0.plusMillis(1), RETRY).job().id();
        assertThat(queue.claim(W1, T0.plusSeconds(1), LEASE).orElseThrow().job().id()).isEqualTo(a);
        queue.cancel(b, T0.plusSeconds(2));

        List<Event> read = new java.util.ArrayList<>();
        EventCursor cursor = EventCursor.START;
        for (int pages = 0; pages < 10; pages++) {
            JobQueue.EventPage page = queue.eventsAfter(EventCursor.parse(cursor.toString()), 2);   // as a reader would keep it
            if (page.events().isEmpty()) {
                assertThat(page.next()).as("an empty page leaves the reader where it was").isEqualTo(cursor);
                break;
            }
            assertThat(page.events()).hasSizeLessThanOrEqualTo(2);
            read.addAll(page.events());
            cursor = page.next();
        }

        List<Event> all = new java.util.ArrayList<>(queue.events(a));
        all.addAll(queue.events(b));
        all.sort(java.util.Comparator.comparingLong(Event::id));
        assertThat(read).isEqualTo(all);
        assertThat(read).extracting(Event::type).containsExactly(EventType.SUBMITTED, EventType.SUBMITTED, EventType.LEASED,
                EventType.CANCELLED);
    }

    @Test
    void aCursorThisStoreDidNotWriteIsRefusedNamingIt() {
        assertThatThrownBy(() -> EventCursor.parse("12")).hasFieldOrPropertyWithValue("field", "cursor");
        assertThatThrownBy(() -> EventCursor.parse("a.b")).hasFieldOrPropertyWithValue("field", "cursor");
    }

    @Test
    void aListenerThatFailsNeitherUndoesTheChangeNorSilencesTheOthers() {
        List<Commit> after = new CopyOnWriteArrayList<>();
        queue.listeners().add(commit -> { throw new IllegalStateException("a broken webhook"); });
        queue.listeners().add(after::add);

        String jobId = queue.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();

        assertThat(queue.job(jobId)).isPresent();
        assertThat(after).singleElement().satisfies(c -> assertThat(c.events()).extracting(Event::jobId).containsExactly(jobId));
    }
}
