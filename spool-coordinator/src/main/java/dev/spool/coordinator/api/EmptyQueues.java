package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.WorkerFit;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which kinds of worker found nothing to claim since a given wake-up, so that ten thousand idle
 * workers woken by one submit make a claim or two of each kind, not ten thousand. A claim begun at
 * generation g (read before it began) that found nothing saw everything committed before g's
 * wake-up, so an equal worker woken for g or earlier would find nothing either: it waits again.
 * A poll's last claim, when its wait runs out, is always made.
 */
final class EmptyQueues {
    private final ConcurrentHashMap<List<Object>, Long> emptyAt = new ConcurrentHashMap<>();

    /** Whether a claim by an equal worker, begun at {@code generation} or later, found nothing. */
    boolean knownEmpty(WorkerFit fit, long generation) {
        Long g = emptyAt.get(key(fit));
        return g != null && g >= generation;
    }

    /** A claim by this worker, begun at {@code generation}, found nothing. */
    void foundEmpty(WorkerFit fit, long generation) {
        emptyAt.merge(key(fit), generation, Math::max);
    }

    /** What decides which tasks a worker may claim: everything but its name. */
    private static List<Object> key(WorkerFit f) {
        return List.of(f.encoders(), f.maxHeight(), f.pools(), f.kinds(), f.encoderBuild());
    }
}
