package dev.spool.model.job;

import dev.spool.model.SpoolError;
import java.util.Arrays;
import java.util.Set;

/**
 * What a task does. A job starts as one {@link #PROBE}; a job short enough, or one a seed-001
 * worker takes, runs as one {@link #TRANSCODE}; a longer one runs as the DAG of DESIGN section 3:
 * {@link #ENCODE_VIDEO} x N pieces and {@link #ENCODE_AUDIO} x 1, then {@link #PACKAGE}.
 */
public enum TaskKind {
    TRANSCODE("transcode"), PROBE("probe"), ENCODE_VIDEO("encode-video"), ENCODE_AUDIO("encode-audio"), PACKAGE("package");

    /** What a worker that knows only seed 001 can run: a whole job (its probe becomes one). */
    public static final Set<String> WHOLE_JOB = Set.of(TRANSCODE.wire, PROBE.wire);
    /** What Spool's own worker runs. */
    public static final Set<String> ALL = Set.of(Arrays.stream(values()).map(TaskKind::wire).toArray(String[]::new));

    private final String wire;

    TaskKind(String wire) {
        this.wire = wire;
    }

    public String wire() { return wire; }

    /** Whether the task runs an encoder (a package step only muxes, a probe only reads). */
    public boolean encodes() { return this == TRANSCODE || this == ENCODE_VIDEO || this == ENCODE_AUDIO; }

    public static TaskKind of(String wire) {
        for (TaskKind k : values()) if (k.wire.equals(wire)) return k;
        throw SpoolError.invalid("kind", "'" + wire + "' is not a task kind this worker knows (is it older than its coordinator?)");
    }
}
