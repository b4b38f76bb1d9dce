package dev.spool.coordinator.store;

import static dev.spool.coordinator.store.StoreContract.H264;
import static dev.spool.coordinator.store.StoreContract.RETRY;
import static dev.spool.coordinator.store.StoreContract.T0;
import static dev.spool.coordinator.store.StoreContract.spec;
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
        String a = store.submit(spec("a", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
        EventCursor start = store.eventsAfter(EventCursor.START, 100).next();
        try (Connection slow = DriverManager.getConnection(url)) {
            slow.setAutoCommit(false);
            new JobLocks(new Dialect.Postgres()).lock(new Tx(slow), a).event(null, null, EventType.CANCELLED, "written first, committed last", T0);
            String b = store.submit(spec("b", Priority.NORMAL, Map.of(), null), H264, T0, RETRY).job().id();
            assertThat(store.events(b)).as("committed").hasSize(1);

            assertThat(store.eventsAfter(start, 100).events()).as("nothing after the open transaction's event yet").isEmpty();

            slow.commit();
        }
        Store.EventPage page = store.eventsAfter(start, 100);
        assertThat(page.events()).extracting(Event::detail).containsExactly("written first, committed last", "priority NORMAL");
        assertThat(store.eventsAfter(page.next(), 100).events()).isEmpty();
    }

    private String url;

    @Override
    Store newStore() {
        url = EmbeddedPostgres.shared().createDatabase("listeners");
        return Database.postgres(url);
    }

    @Override
    String jdbcUrl() {
        return url;
    }
}
