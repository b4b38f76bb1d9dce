package dev.spool.coordinator.schedule;

import dev.spool.coordinator.store.Commit;
import dev.spool.coordinator.store.StoreListener;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling workers when work may have appeared (a submit, a re-queue) instead of letting
 * them find out at their next poll. A wake-up is a hint: the woken worker still has to win a claim.
 * With several coordinators on one PostgreSQL, another node's submit arrives by LISTEN/NOTIFY.
 * It is a store listener: only a commit that queued work, or work come due, wakes anyone.
 */
public final class Waiter implements StoreListener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    /** The current generation; pass it to {@link #awaitChange} to wait for anything newer. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void committed(Commit commit) {
        if (commit.queuedWork()) wakeAll();
    }

    @Override
    public void workDue() {
        wakeAll();
    }

    public void wakeAll() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until something changed since {@code seen}, or the timeout; true if something changed. */
    public boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen && nanos > 0) nanos = changed.awaitNanos(nanos);
            return generation != seen;
        } finally {
            lock.unlock();
        }
    }
}
