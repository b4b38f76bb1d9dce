package dev.spool.cli.chaos;

import java.util.List;

/**
 * The campaign's result: it passes when nothing was lost, stuck, doubled or committed by a refused
 * lease.
 */
record AuditReport(int jobs, int completed, int verified, List<String> lost, List<String> stuck, List<String> refused,
                   List<String> duplicates, int extraAttempts, List<Recovery> recoveries) {
    /** How long after its start the cluster moved on from fault {@code index}; null: it never did. */
    record Recovery(int index, Long afterMs) {}

    AuditReport {
        lost = List.copyOf(lost);
        stuck = List.copyOf(stuck);
        refused = List.copyOf(refused);
        duplicates = List.copyOf(duplicates);
        recoveries = List.copyOf(recoveries);
    }

    boolean ok() {
        return lost.isEmpty() && stuck.isEmpty() && refused.isEmpty() && duplicates.isEmpty();
    }
}
