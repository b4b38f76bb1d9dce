package dev.spool.coordinator.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * An upload stream counted while it is read: passing {@code limit} stops it at once with 413 (the
 * partial file is dropped by the store), and every chunk is charged to the token's byte bucket,
 * pausing the read while the token is over its rate, so a long upload keeps to bytes per second.
 */
final class CappedInput extends FilterInputStream {
    /** The longest single pause: the bucket is asked again after it. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long limit;
    private final String limitName;
    private final RateLimiter.ByteMeter meter;
    private long count;

    CappedInput(InputStream in, long limit, String limitName, RateLimiter.ByteMeter meter) {
        super(in);
        this.limit = limit;
        this.limitName = limitName;
        this.meter = meter == null ? RateLimiter.ByteMeter.NONE : meter;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // never more than one byte past the limit: enough to know it was passed
        int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - count + 1)));
        if (n <= 0) return n;
        count += n;
        if (count > limit) throw new ApiErrors.BodyTooLarge(limitName);
        pause(meter.spent(n));
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)]));
    }

    private static void pause(long nanos) throws IOException {
        try {
            if (nanos > 0) TimeUnit.NANOSECONDS.sleep(Math.min(nanos, MAX_PAUSE_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while pacing an upload");
        }
    }
}
