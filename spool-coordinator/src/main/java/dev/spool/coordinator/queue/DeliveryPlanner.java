package dev.spool.coordinator.queue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Decides which webhook deliveries an event makes (see {@link JobQueue#planDeliveries}). */
public interface DeliveryPlanner {
    /**
     * @param job      the event's job as it is now, if it still exists
     * @param attempts the most attempts any of the job's tasks has had
     */
    List<Delivery.Planned> plan(Event event, Optional<Job> job, int attempts);

    /** The event types that can make a delivery; the others are passed over without reading their job. */
    Set<EventType> relevant();
}
