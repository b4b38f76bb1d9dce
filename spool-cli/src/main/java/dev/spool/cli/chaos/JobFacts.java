package dev.spool.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the audit knows of one job at the end: its final state and tasks, the lease the
 * coordinator granted its commit, its error if it failed, and what is on disk: whether the output exists, the lease its
 * commit marker names, and whether it verified against its source (null: not checked).
 */
record JobFacts(String name, String jobId, String state, String error, boolean split, List<TaskFacts> tasks, String commitLeaseId,
                boolean outputPresent, String markerLeaseId, Boolean verified, String verifyProblem) {
    /** The events that record an accepted result of a task. */
    static final Set<String> ACCEPTED = Set.of("encoded", "probed", "completed");

    JobFacts {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (state == null || state.isBlank()) throw new IllegalArgumentException("state is required");
        tasks = List.copyOf(tasks);
    }

    boolean terminal() {
        return state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    /** The tasks of a job as {@code GET /api/v1/jobs/ID} shows them, with their events counted. */
    static List<TaskFacts> tasksOf(JsonNode job) {
        Map<String, Integer> accepted = new HashMap<>();
        Map<String, Integer> leases = new HashMap<>();
        for (JsonNode e : job.path("events")) {
            String task = e.path("task_id").asText(null);
            if (task == null) continue;
            String type = e.path("type").asText();
            if (ACCEPTED.contains(type)) accepted.merge(task, 1, Integer::sum);
            if (type.equals("leased")) leases.merge(task, 1, Integer::sum);
        }
        List<TaskFacts> tasks = new ArrayList<>();
        for (JsonNode t : job.path("tasks")) {
            String id = t.path("task_id").asText();
            tasks.add(new TaskFacts(id, t.path("kind").asText(), t.hasNonNull("piece") ? t.path("piece").asInt() : null,
                    accepted.getOrDefault(id, 0), leases.getOrDefault(id, 0)));
        }
        return tasks;
    }

    /** The lease the coordinator granted the commit ({@code commit.lease_id}), or null. */
    static String commitLease(JsonNode job) {
        JsonNode lease = job.path("commit").path("lease_id");
        return lease.isTextual() && !lease.asText().isBlank() ? lease.asText() : null;
    }
}
