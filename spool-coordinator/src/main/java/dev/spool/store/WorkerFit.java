package dev.spool.store;

import java.util.Set;

/** What a claiming worker can take: its encoders, the tallest picture it accepts, its pools. */
public record WorkerFit(String workerId, Set<String> encoders, int maxHeight, Set<String> pools) {
    public WorkerFit {
        encoders = Set.copyOf(encoders);
        pools = Set.copyOf(pools);
    }
}
