package dev.spool.media.ffmpeg;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of stderr of the tools a task runs, readable while they run: a worker opens one
 * for a task's thread ({@link #open}), and every {@link ToolProcess} started from that thread (or a
 * thread it starts) adds its stderr lines here, from the one reader that also keeps the failure's
 * tail. {@link #snapshot} is what the worker sends with its progress and with a failure.
 */
public final class LiveStderr implements AutoCloseable {
    private static final InheritableThreadLocal<LiveStderr> CURRENT = new InheritableThreadLocal<>();
    private final int keep;
    private final Deque<String> lines = new ArrayDeque<>();

    private LiveStderr(int keep) {
        this.keep = keep;
    }

    /** Collects, until closed, the stderr of tools run from this thread and the threads it starts. */
    public static LiveStderr open(int keep) {
        LiveStderr live = new LiveStderr(keep);
        CURRENT.set(live);
        return live;
    }

    /** The collector of the calling thread, or null. */
    static LiveStderr current() {
        return CURRENT.get();
    }

    void add(String line) {
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > keep) lines.removeFirst();
        }
    }

    /** The lines kept now, oldest first. */
    public List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        if (CURRENT.get() == this) CURRENT.remove();
    }
}
