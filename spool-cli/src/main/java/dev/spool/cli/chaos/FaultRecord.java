package dev.spool.cli.chaos;

import java.util.List;

/**
 * A fault as it happened: what was hit, when it began and when it was undone (ms since the
 * campaign began), and the tasks in flight that it caught (the victim's for a worker fault, every
 * leased task for a coordinator fault).
 */
record FaultRecord(int index, FaultKind kind, String target, long startMs, long endMs, List<TaskSample> inFlight, String note) {
    FaultRecord {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (target == null || target.isBlank()) throw new IllegalArgumentException("target is required");
        if (endMs < startMs) throw new IllegalArgumentException("endMs must not be before startMs (" + endMs + " < " + startMs + ")");
        inFlight = List.copyOf(inFlight);
        note = note == null ? "" : note;
    }
}
