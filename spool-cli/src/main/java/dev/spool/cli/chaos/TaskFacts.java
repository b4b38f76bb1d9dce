package dev.spool.cli.chaos;

/**
 * One task of a job at the end of the campaign: how many of its results the coordinator accepted
 * (its {@code encoded}, {@code probed} or {@code completed} events) and how many times it was leased.
 */
record TaskFacts(String taskId, String kind, Integer piece, int accepted, int leases) {
    TaskFacts {
        if (taskId == null || taskId.isBlank()) throw new IllegalArgumentException("taskId is required");
        if (kind == null || kind.isBlank()) throw new IllegalArgumentException("kind is required");
        if (accepted < 0) throw new IllegalArgumentException("accepted must be 0 or more, not " + accepted);
        if (leases < 0) throw new IllegalArgumentException("leases must be 0 or more, not " + leases);
    }

    String describe() {
        return piece != null ? "piece " + piece : kind;
    }
}
