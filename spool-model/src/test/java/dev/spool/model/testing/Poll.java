package dev.spool.model.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits for a condition with a deadline, checking often, instead of sleeping for a guessed time:
 * the one polling helper of every module's tests (spool-model's test jar).
 */
public final class Poll {
    public static final Duration EVERY = Duration.ofMillis(20);

    private Poll() {}

    /** Returns once {@code condition} holds; fails the test, naming {@code what}, when {@code within} runs out first. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        until(within, what, condition::getAsBoolean, ok -> ok);
    }

    /**
     * Reads {@code value} until {@code ok} accepts it and returns that value; the failure shows
     * the last value read (a job's view, a log), which says where it got stuck. A read that throws
     * fails the test at once.
     */
    public static <T> T until(Duration within, String what, Callable<T> value, Predicate<? super T> ok) {
        return until(within, EVERY, what, value, ok);
    }

    /** As {@link #until(Duration, String, Callable, Predicate)}, reading every {@code every} (a costly read: a process's log). */
    public static <T> T until(Duration within, Duration every, String what, Callable<T> value, Predicate<? super T> ok) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T last = read(value, what);
            if (ok.test(last)) return last;
            if (System.nanoTime() - deadline > 0)
                throw new AssertionError("waited " + within + " in vain until " + what + (last instanceof Boolean ? "" : "; last seen: " + last));
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    private static <T> T read(Callable<T> value, String what) {
        try {
            return value.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting until " + what, e);
        } catch (Exception e) {
            throw new AssertionError("cannot tell whether " + what + ": " + e, e);
        }
    }
}
