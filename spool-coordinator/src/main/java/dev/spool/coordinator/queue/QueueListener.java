package dev.spool.coordinator.queue;

/**
 * Reacts to what the queue committed (waking long-polling workers, NOTIFY to other coordinators,
 * later metrics and webhooks). Called after the commit, on the committing thread, never for a
 * transaction that rolled back; it must be quick and must not call back into a transaction.
 */
public interface QueueListener {
    void committed(Commit commit);

    /**
     * Queued work became claimable without a commit of this coordinator's: a backoff ran out, or
     * another coordinator announced work. Only the local wake-up cares; an announcer must not echo it.
     */
    default void workDue() { }

    /** An operator or the autoscaler changed this worker's control (drain, pause, resume), committed. */
    default void workerControlled(String workerId) { }
}
