package dev.spool.coordinator.webhooks;

import dev.spool.model.SpoolError;
import dev.spool.model.job.WebhookSpec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The coordinator's webhook settings: endpoints told about every job ({@code --webhook}), the retry
 * schedule, and whether endpoints on loopback or private addresses may be called (link-local ones,
 * such as cloud metadata, never are).
 */
public record WebhookSettings(List<Subscription> subscriptions, RetrySchedule retries, boolean allowPrivate, Duration pauseAfter) {
    /** An endpoint failing this long, every attempt at every delivery, is paused until an operator resumes it. */
    public static final Duration DEFAULT_PAUSE_AFTER = Duration.ofHours(24);
    public static final WebhookSettings DEFAULT = new WebhookSettings(List.of(), RetrySchedule.DEFAULT, false);

    public WebhookSettings {
        subscriptions = List.copyOf(subscriptions);
        retries = retries == null ? RetrySchedule.DEFAULT : retries;
        pauseAfter = pauseAfter == null ? DEFAULT_PAUSE_AFTER : pauseAfter;
        if (pauseAfter.isZero() || pauseAfter.isNegative())
            throw SpoolError.invalid("--webhook-pause-after", "must be longer than 0 (an endpoint would be paused at its first failure)");
    }

    public WebhookSettings(List<Subscription> subscriptions, RetrySchedule retries, boolean allowPrivate) {
        this(subscriptions, retries, allowPrivate, null);
    }

    /**
     * An endpoint for all jobs.
     *
     * @param secrets signing secrets; during a rotation more than one, each signs every call
     */
    public record Subscription(String url, List<String> secrets, Set<String> events, String format) {
        public Subscription {
            WebhookSpec.checkUrl("--webhook", url);
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
            events = events == null ? Set.copyOf(WebhookSpec.DEFAULT_SUBSCRIPTION) : Set.copyOf(events);
            format = format == null ? WebhookSpec.JSON : format;
            for (String e : events)
                if (!WebhookSpec.EVENTS.contains(e))
                    throw SpoolError.invalid("--webhook-events", "has '" + e + "'; the events are " + String.join(", ", WebhookSpec.EVENTS));
            if (!WebhookSpec.FORMATS.contains(format))
                throw SpoolError.invalid("--webhook-format", "must be one of json, discord, slack, ntfy, not '" + format + "'");
        }
    }
}
