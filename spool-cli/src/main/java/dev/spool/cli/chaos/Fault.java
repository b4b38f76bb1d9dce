package dev.spool.cli.chaos;

/**
 * One planned fault: after waiting {@code gapMs} since the previous one ended, do {@code kind} to
 * worker or coordinator number {@code target} (0-based) and undo it after {@code holdMs}.
 */
record Fault(int index, FaultKind kind, int target, long gapMs, long holdMs) {
    Fault {
        if (index < 0) throw new IllegalArgumentException("index must be 0 or more, not " + index);
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (target < 0) throw new IllegalArgumentException("target must be 0 or more, not " + target);
        if (gapMs < 0) throw new IllegalArgumentException("gapMs must be 0 or more, not " + gapMs);
        if (holdMs < 0) throw new IllegalArgumentException("holdMs must be 0 or more, not " + holdMs);
    }
}
