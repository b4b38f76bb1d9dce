package dev.spool.worker;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How the worker loop waits between calls (a backoff, a heartbeat interval): parked on its wake-up
 * semaphore, which a drain or a finished task releases early. A seam, so that a test of the loop
 * sees the waits it asks for without waiting them out.
 */
interface Sleeper {
    /** Parks for real. */
    Sleeper REAL = (wake, d) -> wake.tryAcquire(d.toMillis(), TimeUnit.MILLISECONDS);

    /** Waits until {@code wake} is released or {@code d} has passed; true when woken. */
    boolean await(Semaphore wake, Duration d) throws InterruptedException;

    /** Waits {@code d}, woken by nothing but an interrupt. */
    default void sleep(Duration d) throws InterruptedException {
        await(new Semaphore(0), d);
    }
}
