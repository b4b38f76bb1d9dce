package dev.spool.model.job;

/** Where a job is in its life: QUEUED -> RUNNING -> COMPLETED | FAILED | CANCELLED. */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() { return this == COMPLETED || this == FAILED || this == CANCELLED; }
}
