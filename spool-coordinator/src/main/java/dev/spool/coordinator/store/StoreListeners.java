package dev.spool.coordinator.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place after-commit listeners are registered (the coordinator does it at start). A
 * listener that throws is logged and skipped: the change it heard of is committed all the same.
 */
public final class StoreListeners {
    private static final System.Logger LOG = System.getLogger(StoreListeners.class.getName());
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

    public void add(StoreListener listener) {
        listeners.add(listener);
    }

    void committed(Commit commit) {
        if (commit.isEmpty()) return;
        for (StoreListener l : listeners) {
            try {
                l.committed(commit);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a store listener failed after a commit: " + e, e);
            }
        }
    }

    /** See {@link StoreListener#workDue}. */
    public void workDue() {
        for (StoreListener l : listeners) {
            try {
                l.workDue();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a store listener failed on due work: " + e, e);
            }
        }
    }
}
