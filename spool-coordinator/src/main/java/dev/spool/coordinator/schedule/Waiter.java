package dev.spool.coordinator.schedule;

import dev.spool.coordinator.queue.Commit;
import dev.spool.coordinator.queue.QueueListener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long-polling workers when work may have appeared (a submit, a re-queue) instead of letting
 * them find out at their next poll. A wake-up is a hint: the woken worker still has to win a claim.
 * With several coordinators on one PostgreSQL, another node's submit arrives by LISTEN/NOTIFY.
 * It is a queue listener: only a commit that queued work, or work come due, wakes anyone.
 * A waiting poll is a future ({@link #changeAfter}), not a parked thread, so ten thousand idle
 * workers cost ten thousand small objects and one timer thread.
 */
public final class Waiter implements QueueListener {
    /** One timer for every waiter in the JVM; a cancelled timeout leaves its queue at once. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<CompletableFuture<Boolean>> waiting = ConcurrentHashMap.newKeySet();
    private long generation;
    /** Parked polls by worker, told when that worker's control changes (a drain or pause must not wait out the poll). */
    private final java.util.Map<String, CompletableFuture<Void>> controlled = new ConcurrentHashMap<>();

    /** The current generation; pass it to {@link #changeAfter} to wait for anything newer. */
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

    @Override
    public void workerControlled(String workerId) {
        CompletableFuture<Void> told = controlled.remove(workerId);
        if (told != null) told.complete(null);
    }

    /**
     * Completes when this worker's control next changes through this coordinator; one per parked
     * poll, handed back with {@link #forget} when the poll ends. A poll parked on another
     * coordinator hears of the change when its poll ends (at most the wait it asked for).
     */
    public CompletableFuture<Void> controlChange(String workerId) {
        CompletableFuture<Void> told = new CompletableFuture<>();
        controlled.put(workerId, told);
        return told;
    }

    /** The poll that asked for {@code told} has ended. */
    public void forget(String workerId, CompletableFuture<Void> told) {
        controlled.remove(workerId, told);
    }

    public void wakeAll() {
        List<CompletableFuture<Boolean>> woken;
        lock.lock();
        try {
            generation++;
            woken = List.copyOf(waiting);
            waiting.clear();
        } finally {
            lock.unlock();
        }
        // outside the lock: whatever a waiter chained runs on its own executor, not under ours
        for (CompletableFuture<Boolean> f : woken) f.complete(true);
    }

    /**
     * Completes with true at the first change after {@code seen} (at once if there was one), or
     * with false when {@code timeout} passes first. No thread waits meanwhile.
     */
    public CompletableFuture<Boolean> changeAfter(long seen, Duration timeout) {
        CompletableFuture<Boolean> change = new CompletableFuture<>();
        lock.lock();
        try {
            if (generation != seen) return CompletableFuture.completedFuture(true);
            if (!timeout.isPositive()) return CompletableFuture.completedFuture(false);
            waiting.add(change);
        } finally {
            lock.unlock();
        }
        ScheduledFuture<?> timeoutTask = TIMER.schedule(() -> change.complete(false), timeout.toNanos(), TimeUnit.NANOSECONDS);
        change.whenComplete((result, failure) -> {
            timeoutTask.cancel(false);
            waiting.remove(change);   // a timed-out poll is forgotten now, not at the next wake-up
        });
        return change;
    }

    /** Polls waiting for a change now. */
    public int waiting() {
        return waiting.size();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "spool-long-poll-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
