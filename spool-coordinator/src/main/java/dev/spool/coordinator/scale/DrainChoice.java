package dev.spool.coordinator.scale;

import dev.spool.coordinator.queue.Task;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which workers a scale-down removes: idle ones first (nothing is lost or redone), then those whose
 * tasks have made the least progress (a drained busy worker finishes its task first, so the
 * least-advanced one holds the longest wait; those ahead finish and free their machines sooner).
 */
final class DrainChoice {
    private DrainChoice() {}

    /** Up to {@code count} of {@code candidates}, in the order to drain them; ties by id, so every coordinator picks alike. */
    static List<String> pick(List<String> candidates, List<Task> leased, int count) {
        if (count <= 0) return List.of();
        Map<String, Double> progress = leased.stream().filter(t -> t.workerId() != null)
                .collect(Collectors.toMap(Task::workerId, Task::progress, Math::max));
        return candidates.stream()
                .sorted(Comparator.<String>comparingInt(w -> progress.containsKey(w) ? 1 : 0)
                        .thenComparingDouble(w -> progress.getOrDefault(w, 0.0)).thenComparing(Comparator.naturalOrder()))
                .limit(count).toList();
    }
}
