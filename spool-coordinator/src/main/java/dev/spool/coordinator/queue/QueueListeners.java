package dev.spool.coordinator.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place after-commit listeners are registered (the coordinator does it at start). A
 * listener that throws is logged and skipped: the change it heard of is committed all the same.
 */
public final class QueueListeners {
    private static final System.Logger LOG = System.getLogger(QueueListeners.class.getName());
    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();

    public void add(QueueListener listener) {
        listeners.add(listener);
    }

    void committed(Commit commit) {
        if (commit.isEmpty()) return;
        for (QueueListener l : listeners) {
            try {
                l.committed(commit);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a store listener failed after a commit: " + e, e);
            }
        }
    }

    /** See {@link QueueListener#workerControlled}. */
    void workerControlled(String workerId) {
        for (QueueListener l : listeners) {
            try {
                l.workerControlled(workerId);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a store listener failed on a worker's control: " + e, e);
            }
        }
    }

    /** See {@link QueueListener#workDue}. */
    public void workDue() {
        for (QueueListener l : listeners) {
            try {
                l.workDue();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a store listener failed on due work: " + e, e);
            }
        }
    }
}
