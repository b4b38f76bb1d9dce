package dev.spool.model.storage;

import java.nio.file.Path;

/**
 * Where a run asks before it makes its output visible, and checks again while it does. On one
 * machine it is always open; on a worker it is the coordinator's grant, which a worker that lost
 * its lease, or whose job was cancelled, is refused, so it never replaces another attempt's output.
 */
public interface CommitGate {
    /** Open: nobody else can commit here (a local run, a private scratch directory). */
    CommitGate OPEN = new CommitGate() {
        @Override public void acquire(Path staged) {}
        @Override public void check() {}
    };

    /**
     * Asks for the right to make {@code staged} visible; may first write its record into it (the
     * {@code CommitMarker}). Throws, and nothing may be made visible, when refused.
     */
    void acquire(Path staged);

    /** Throws when the right has run out (a worker paused past its grant must not write on). */
    void check();
}
