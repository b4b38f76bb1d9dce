package dev.spool.job;

/** A task is QUEUED until a worker leases it, then DONE, FAILED (for good) or CANCELLED. */
public enum TaskState {
    QUEUED, LEASED, DONE, FAILED, CANCELLED;

    public boolean terminal() { return this == DONE || this == FAILED || this == CANCELLED; }
}
