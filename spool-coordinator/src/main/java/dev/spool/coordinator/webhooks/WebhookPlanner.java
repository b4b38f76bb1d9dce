package dev.spool.coordinator.webhooks;

import dev.spool.coordinator.queue.Delivery;
import dev.spool.coordinator.queue.DeliveryPlanner;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.EventType;
import dev.spool.coordinator.queue.Job;
import dev.spool.model.job.JobState;
import dev.spool.model.job.WebhookSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which webhook events a queue event is, and who is told: the job's own webhook for the events it
 * chose, and every coordinator subscription for the events it chose. The payload is made here, once,
 * so every attempt sends the same body.
 */
final class WebhookPlanner implements DeliveryPlanner {
    private final List<WebhookSettings.Subscription> subscriptions;

    WebhookPlanner(List<WebhookSettings.Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public List<Delivery.Planned> plan(Event event, Optional<Job> found, int attempts) {
        if (found.isEmpty()) return List.of();
        Job job = found.get();
        List<Delivery.Planned> planned = new ArrayList<>();
        for (String name : happened(event, job)) {
            WebhookSpec own = job.spec().webhook();
            if (own != null && own.events().contains(name))
                planned.add(new Delivery.Planned(job.id(), name, own.url(), Delivery.Source.JOB, own.format(),
                        WebhookPayload.body(own.format(), name, event, job, attempts)));
            for (WebhookSettings.Subscription s : subscriptions)
                if (s.events().contains(name))
                    planned.add(new Delivery.Planned(job.id(), name, s.url(), Delivery.Source.COORDINATOR, s.format(),
                            WebhookPayload.body(s.format(), name, event, job, attempts)));
        }
        return planned;
    }

    private static final Set<EventType> RELEVANT = EnumSet.of(EventType.SUBMITTED, EventType.LEASED, EventType.COMPLETED,
            EventType.FAILED, EventType.LEASE_EXPIRED, EventType.TIMED_OUT, EventType.CANCELLED, EventType.PROGRESS);

    @Override
    public Set<EventType> relevant() { return RELEVANT; }

    /**
     * The webhook events this queue event is: most are none (a piece encoded, a lease renewed). The
     * job's start and end are the events it marks by id (two events of a job can share a millisecond,
     * so a timestamp could name two): each is told once.
     */
    static List<String> happened(Event event, Job job) {
        return switch (event.type()) {
            case SUBMITTED -> List.of("queued");
            case LEASED -> event.id() == job.startEvent() ? List.of("started") : List.of();
            case COMPLETED -> job.state() == JobState.COMPLETED && event.id() == job.endEvent() ? List.of("completed") : List.of();
            // a failed attempt that will be retried is not the job failing: only the attempt that ended it
            case FAILED, LEASE_EXPIRED, TIMED_OUT -> job.state() == JobState.FAILED && event.id() == job.endEvent()
                    ? (job.needsAttention() ? List.of("failed", "escalated") : List.of("failed")) : List.of();
            case PROGRESS -> job.state() == JobState.RUNNING ? List.of("progress") : List.of();
            case CANCELLED -> job.state() == JobState.CANCELLED && event.id() == job.endEvent() ? List.of("cancelled") : List.of();
            default -> List.of();
        };
    }
}
