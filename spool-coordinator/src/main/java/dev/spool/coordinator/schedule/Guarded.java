package dev.spool.coordinator.schedule;

/**
 * One scheduler rule run so that its failure does not kill the scheduler thread (a
 * ScheduledExecutorService stops a task for good once it throws): a database hiccup is logged
 * and the next tick tries again. Every rule is wrapped here, so none needs a catch of its own.
 */
public final class Guarded implements Runnable {
    private static final System.Logger LOG = System.getLogger(Guarded.class.getName());
    private final String what;
    private final Runnable rule;

    private Guarded(String what, Runnable rule) {
        this.what = what;
        this.rule = rule;
    }

    /** {@code what}: the rule's work in a few words, for the log ("re-queueing expired leases"). */
    public static Runnable rule(String what, Runnable rule) {
        return new Guarded(what, rule);
    }

    @Override
    public void run() {
        try {
            rule.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, what + " failed (tried again at the next tick): " + e.getMessage());
        }
    }
}
