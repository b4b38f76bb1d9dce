package dev.spool.media.ffmpeg;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Notices an ffmpeg that has stopped making progress: the position its {@code -progress} output
 * reports (frame, out_time) has not advanced for the timeout. ffmpeg goes on printing progress
 * blocks while it waits on an input that sends nothing, and prints nothing at all when it hangs or
 * is stopped, so it is the numbers that are watched, not the lines. {@link ToolProcess} kills a
 * process whose watch says it stalled.
 */
public final class StallWatch {
    /** Five minutes: far longer than any healthy encode goes without finishing a frame. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final Duration timeout;
    private volatile long lastAdvance = System.nanoTime();
    private volatile boolean ended;
    private long frame = -1;
    private long outTimeUs = -1;

    public StallWatch(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        this.timeout = timeout;
    }

    public Duration timeout() { return timeout; }

    /** Passes each line on, noting first whether it moved the position forward. */
    public Consumer<String> watching(Consumer<String> lines) {
        return line -> {
            accept(line);
            lines.accept(line);
        };
    }

    synchronized void accept(String line) {
        if (line.startsWith("frame=")) {
            long f = number(line);
            if (f > frame) {
                frame = f;
                lastAdvance = System.nanoTime();
            }
        } else if (line.startsWith("out_time_us=")) {
            long t = number(line);
            if (t > outTimeUs) {
                outTimeUs = t;
                lastAdvance = System.nanoTime();
            }
        } else if (line.equals("progress=end")) {
            ended = true;   // finishing up (writing the trailer): nothing left to advance
        }
    }

    /** How long the position has stood still, once that is longer than the timeout. */
    Optional<Duration> stalled() {
        long still = System.nanoTime() - lastAdvance;
        return !ended && still > timeout.toNanos() ? Optional.of(Duration.ofNanos(still)) : Optional.empty();
    }

    /** How often {@link ToolProcess} looks. */
    Duration checkEvery() {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter.isZero() ? Duration.ofMillis(1) : quarter;
    }

    private static long number(String line) {
        try {
            return Long.parseLong(line.substring(line.indexOf('=') + 1).strip());
        } catch (NumberFormatException e) {
            return -1;   // "N/A" before ffmpeg knows
        }
    }
}
