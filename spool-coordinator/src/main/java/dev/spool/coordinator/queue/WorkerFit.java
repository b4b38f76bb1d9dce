package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;

import java.util.Set;

/**
 * What a claiming worker can take: its encoders, the tallest picture it accepts, its pools, the
 * task kinds it runs, and its ffmpeg build (pieces of one job all come from one build).
 */
public record WorkerFit(String workerId, Set<String> encoders, int maxHeight, Set<String> pools, Set<String> kinds,
                        String encoderBuild) {
    public WorkerFit {
        encoders = Set.copyOf(encoders);
        pools = Set.copyOf(pools);
        kinds = Set.copyOf(kinds);
        encoderBuild = encoderBuild == null ? "" : encoderBuild;
    }

    /** A Spool worker (every task kind) of an unnamed build. */
    public WorkerFit(String workerId, Set<String> encoders, int maxHeight, Set<String> pools) {
        this(workerId, encoders, maxHeight, pools, TaskKind.ALL, null);
    }

    /** Whether it runs split jobs' tasks; a seed-001 worker runs whole jobs only. */
    public boolean runsPieces() {
        return kinds.contains(TaskKind.ENCODE_VIDEO.wire());
    }
}
