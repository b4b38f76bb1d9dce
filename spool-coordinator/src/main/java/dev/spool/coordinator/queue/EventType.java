package dev.spool.coordinator.queue;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an event of a job's trail records: a closed set, so that what listens to events (the
 * waiting workers, metrics, webhooks) can switch over it. Stored and shown as its wire name.
 */
public enum EventType {
    SUBMITTED("submitted"),
    LEASED("leased"),
    /** A worker's note on a transfer (an attempt, a resume), sent with its progress. */
    TRANSFER("transfer"),
    PROBED("probed"),
    PLANNED("planned"),
    /** The first leased piece pinned the job's pieces to one ffmpeg build. */
    PINNED("pinned"),
    ENCODED("encoded"),
    /** Every piece is encoded: the package step is queued. */
    READY("ready"),
    COMMIT_GRANTED("commit-granted"),
    COMMIT_ADOPTED("commit-adopted"),
    COMPLETED("completed"),
    FAILED("failed"),
    LEASE_EXPIRED("lease-expired"),
    TIMED_OUT("timed-out"),
    WORKER_RESTARTED("worker-restarted"),
    HANDED_BACK("handed-back"),
    UNACKNOWLEDGED("unacknowledged"),
    PIECES_MISSING("pieces-missing"),
    LEASE_GRACE("lease-grace"),
    CANCELLED("cancelled"),
    /** The job's progress passed a tenth (10 %, 20 % ... 90 %): throttled by construction, for the opt-in progress webhook. */
    PROGRESS("progress"),
    RETRIED("retried");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name stored in the events table and shown by the API and {@code spool status}. */
    @JsonValue
    public String wire() { return wire; }

    /** The type of a stored name. */
    public static EventType of(String wire) {
        for (EventType t : values()) if (t.wire.equals(wire)) return t;
        throw new IllegalStateException("unknown event type in the events table: " + wire);
    }

    @Override
    public String toString() { return wire; }
}
