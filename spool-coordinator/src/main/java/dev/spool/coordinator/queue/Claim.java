package dev.spool.coordinator.queue;

import java.util.Map;

/**
 * A task just leased to a worker, with its job; for a package step, also the directory each
 * finished piece wrote, by piece (-1: the audio).
 */
public record Claim(Task task, Job job, Map<Integer, String> pieceOutputs) {
    public Claim {
        pieceOutputs = Map.copyOf(pieceOutputs);
    }
}
