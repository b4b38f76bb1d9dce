package dev.spool.coordinator.queue;

import java.time.Instant;

/**
 * One webhook call to make or made: an event of a job for one endpoint. {@code id} is the
 * Standard Webhooks {@code webhook-id}, kept across attempts so a receiver can drop repeats.
 * {@code claim} is the token of the claim a coordinator took to send it ({@link JobQueue#claimDeliveries});
 * an attempt is recorded only under the delivery's current claim. Null when it is read to be shown.
 */
public record Delivery(String id, String jobId, String event, String url, Source source, String format, String payload,
                       State state, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
                       Instant createdAt, Instant finishedAt, String claim) {
    /** This delivery under the claim of the given token. */
    Delivery claimedAs(String token) {
        return new Delivery(id, jobId, event, url, source, format, payload, state, attempts, nextAttemptAt, lastStatus, lastError,
                createdAt, finishedAt, token);
    }

    /** Where the signing secret lives: the job's own webhook, or the coordinator's subscription. */
    public enum Source { JOB, COORDINATOR }

    /** PENDING until a 2xx (DELIVERED), the last retry (FAILED), or a 410 from the endpoint (DISABLED). */
    public enum State { PENDING, DELIVERED, FAILED, DISABLED }

    /** An endpoint whose calls fail: since when, and since when the coordinator has stopped calling it. */
    public record Endpoint(String url, Instant failingSince, Instant pausedAt, String lastError) {
        public boolean paused() { return pausedAt != null; }
    }

    /** A delivery to write: what the planner decided for one event. */
    public record Planned(String jobId, String event, String url, Source source, String format, String payload) {}

    /** What one attempt came to. */
    public sealed interface Outcome {
        /** A 2xx. */
        record Delivered(int status) implements Outcome {}
        /** Not delivered; tried again at {@code next}. */
        record RetryAt(Instant next, Integer status, String error) implements Outcome {}
        /** Not delivered and not to be tried again: the schedule is used up, or the call can never work. */
        record GaveUp(Integer status, String error) implements Outcome {}
        /** 410 Gone: the endpoint asked to be called no more; its other pending deliveries stop too. */
        record Gone(String error) implements Outcome {}
    }
}
