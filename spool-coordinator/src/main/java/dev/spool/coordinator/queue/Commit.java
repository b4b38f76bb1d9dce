package dev.spool.coordinator.queue;

import java.util.List;

/**
 * What one committed transaction did, as its listeners hear it: the events it wrote, in order, and
 * whether it queued or re-queued claimable work (a submit, a plan, a retry, a hand-back).
 */
public record Commit(List<Event> events, boolean queuedWork) {
    public Commit {
        events = List.copyOf(events);
    }

    boolean isEmpty() { return events.isEmpty() && !queuedWork; }
}
