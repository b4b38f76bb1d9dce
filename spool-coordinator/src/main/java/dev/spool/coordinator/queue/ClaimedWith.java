package dev.spool.coordinator.queue;

/**
 * The kind of credential a lease was claimed with, stored beside it ({@code tasks.claimed_with}):
 * a worker's own credential, or the join token every worker shares (seed-001 workers have nothing
 * else). Reports, renewals and releases must come with the same kind, so the shared token cannot
 * act on a lease a credentialed worker holds.
 */
public enum ClaimedWith {
    WORKER("worker"), JOIN("join");

    private final String wire;

    ClaimedWith(String wire) {
        this.wire = wire;
    }

    /** As stored: 'worker' or 'join'. */
    public String wire() { return wire; }

    /** A stored value; null (a task never leased) stays null. */
    static ClaimedWith of(String stored) {
        if (stored == null) return null;
        for (ClaimedWith k : values()) if (k.wire.equals(stored)) return k;
        throw new IllegalStateException("unknown claimed_with '" + stored + "' in the tasks table");
    }
}
