package dev.spool.model.job;

/**
 * A task is QUEUED until a worker leases it, then DONE, FAILED (for good) or CANCELLED; a task
 * that needs others' results first (a package step) is BLOCKED until they are DONE.
 */
public enum TaskState {
    BLOCKED, QUEUED, LEASED, DONE, FAILED, CANCELLED;

    public boolean terminal() { return this == DONE || this == FAILED || this == CANCELLED; }
}
