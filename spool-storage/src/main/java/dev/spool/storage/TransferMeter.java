package dev.spool.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes one transfer attempt moves and says, by its {@link TransferStall} rule, when it
 * has stalled. Bytes are counted from any thread (the HTTP client's); the judging is done by the
 * thread that waits for the transfer.
 */
final class TransferMeter {
    private final TransferStall rule;
    private final long started;
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastByte;
    private volatile boolean finished;
    /** (time, bytes so far) as seen at each check, as far back as the window reaches. */
    private final Deque<long[]> seen = new ArrayDeque<>();

    TransferMeter(TransferStall rule, long startedNanos) {
        this.rule = rule;
        this.started = startedNanos;
        this.lastByte = startedNanos;
        seen.addLast(new long[] {startedNanos, 0});
    }

    void moved(long n) {
        moved(n, System.nanoTime());
    }

    void moved(long n, long now) {
        if (n <= 0) return;
        bytes.addAndGet(n);
        lastByte = now;
    }

    /** The sending side is done (a request body fully handed over): waiting for the answer is not a stall. */
    void finished() {
        finished = true;
    }

    long bytes() { return bytes.get(); }

    private volatile boolean abandoned;
    private volatile Runnable quiet = () -> { };

    /** The attempt is given up: a body still arriving is dropped ({@link WatchedExchange}). */
    void abandon() { abandoned = true; }

    boolean abandoned() { return abandoned; }

    /** What waits for a write under way to end (the file body's lock). */
    void onQuiet(Runnable waitForWrites) { this.quiet = waitForWrites; }

    void awaitQuiet() { quiet.run(); }

    TransferStall rule() { return rule; }

    /** Why the transfer counts as stalled now, or empty while it moves fast enough. */
    Optional<String> stalled() {
        return stalled(System.nanoTime());
    }

    synchronized Optional<String> stalled(long now) {
        if (finished) return Optional.empty();
        long quiet = now - lastByte;
        if (quiet >= rule.idle().toNanos())
            return Optional.of("stalled: no data for " + seconds(quiet) + " s");
        long total = bytes.get();
        // one sample per check interval, however often this is asked (a read loop asks at every read)
        if (now - seen.peekLast()[0] >= rule.checkEvery().toNanos()) seen.addLast(new long[] {now, total});
        // the newest sample at least a window old is where the window starts 
        long window = rule.window().toNanos();
        long[] from = null;
        while (!seen.isEmpty() && now - seen.peekFirst()[0] >= window) from = seen.removeFirst();
        if (from == null) return Optional.empty();   // not a window's worth of transfer yet
        seen.addFirst(from);
        long moved = total - from[1];
        if (moved < rule.minBytes())
            return Optional.of("stalled: " + moved + " bytes in the last " + seconds(now - from[0]) + " s (a transfer must move "
                    + rule.minBytes() + " bytes per " + rule.window().toSeconds() + " s)");
        return Optional.empty();
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }
}
