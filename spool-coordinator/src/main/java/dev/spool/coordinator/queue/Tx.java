package dev.spool.coordinator.queue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction: its connection, and what its listeners will hear once it commits (the events
 * it wrote, whether it queued work). Nothing is heard of a transaction that rolls back.
 */
final class Tx {
    private final Connection connection;
    private final List<Event> events = new ArrayList<>();
    private boolean queuedWork;

    Tx(Connection connection) {
        this.connection = connection;
    }

    Connection connection() { return connection; }

    void recorded(Event event) {
        events.add(event);
    }

    /** Claimable work appeared in this transaction: waiting workers are woken once it commits. */
    void queuedWork() {
        queuedWork = true;
    }

    Commit commit() {
        return new Commit(events, queuedWork);
    }
}
