package dev.spool.coordinator.queue;

import java.util.List;
import java.util.Optional;

/** Decides which webhook deliveries an event makes (see {@link JobQueue#planDeliveries}). */
@FunctionalInterface
public interface DeliveryPlanner {
    /**
     * @param job      the event's job as it is now, if it still exists
     * @param attempts the most attempts any of the job's tasks has had
     */
    List<Delivery.Planned> plan(Event event, Optional<Job> job, int attempts);
}
