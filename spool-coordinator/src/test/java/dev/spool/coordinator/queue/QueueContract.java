package dev.spool.coordinator.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract of the queue shares: one subclass per database supplies a fresh, empty queue
 * per test ({@link #newStore}), opened before the contract's own set-up (JUnit runs a superclass's
 * {@code @BeforeEach} first) and closed after the test.
 */
abstract class QueueContract {
    JobQueue queue;

    /** A new queue on an empty database; the contract closes it after the test. */
    abstract JobQueue newStore();

    @BeforeEach
    final void openQueue() {
        queue = newStore();
    }

    @AfterEach
    final void closeQueue() {
        if (queue != null) queue.close();
    }
}
