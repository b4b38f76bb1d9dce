package dev.spool.coordinator.api;

import dev.spool.coordinator.store.Event;
import dev.spool.coordinator.store.Job;
import dev.spool.coordinator.store.Task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON a client sees of a job, its tasks and its events. */
final class JobViews {
    private JobViews() {}

    static Map<String, Object> summary(Job j) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("job_id", j.id());
        v.put("state", j.state());
        v.put("priority", j.priority());
        v.put("progress", round(j.progress()));
        v.put("fps", round(j.fps()));
        v.put("speed", Math.round(j.speed() * 100) / 100.0);
        v.put("eta_sec", j.etaSec());
        v.put("input", j.spec().input());
        v.put("output", j.spec().output());
        v.put("labels", j.spec().labels());
        if (j.error() != null) v.put("error", j.error());
        v.put("needs_attention", j.needsAttention());   // seed 002's escalation: a person has to look
        if (j.needsAttention()) v.put("attention_reason", j.attention());
        if (j.manifestUrl() != null) v.put("outputs", Map.of("manifest_url", j.manifestUrl()));
        if (j.result() != null) v.put("result", result(j.result()));
        v.put("created_at", time(j.createdAt()));
        v.put("started_at", time(j.startedAt()));
        v.put("finished_at", time(j.finishedAt()));
        return v;
    }

    static Map<String, Object> full(Job j, List<Task> tasks, List<Event> events) {
        Map<String, Object> v = summary(j);
        v.put("spec", j.spec().withoutSecrets());
        if (j.split() != null) v.put("pieces", j.split().pieces().pieces().size());
        if (j.encoderBuild() != null) v.put("encoder_build", j.encoderBuild());
        committed(tasks).ifPresent(t -> v.put("commit", Map.of("task_id", t.id(), "lease_id", t.commitLease())));
        v.put("tasks", tasks.stream().map(JobViews::task).toList());
        v.put("events", events.stream().map(JobViews::event).toList());
        return v;
    }

    /** The finished transcode or package step, if its output was committed under a grant: the lease it went to. */
    private static java.util.Optional<Task> committed(List<Task> tasks) {
        return tasks.stream().filter(t -> t.state() == dev.spool.model.job.TaskState.DONE && t.commitLease() != null).findFirst();
    }

    private static Map<String, Object> task(Task t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("task_id", t.id());
        v.put("kind", t.kind().wire());
        if (t.piece() != null) v.put("piece", t.piece());
        v.put("state", t.state());
        v.put("worker", t.workerId());
        v.put("attempts", t.attempt());
        v.put("max_attempts", t.maxAttempts());
        v.put("progress", round(t.progress()));
        if (t.state() == dev.spool.model.job.TaskState.LEASED) {
            v.put("fps", round(t.fps()));
            v.put("speed", Math.round(t.speed() * 100) / 100.0);
        }
        if (t.framesDone() != null) v.put("frames_done", t.framesDone());
        if (t.lastError() != null) v.put("last_error", t.lastError());
        v.put("started_at", time(t.startedAt()));
        v.put("finished_at", time(t.finishedAt()));
        if (t.startedAt() != null && t.finishedAt() != null && t.state() == dev.spool.model.job.TaskState.DONE)
            v.put("wall_ms", t.finishedAt().toEpochMilli() - t.startedAt().toEpochMilli());
        return v;
    }

    /** Seed 000's job result, with only what the committing worker measured. */
    private static Map<String, Object> result(dev.spool.coordinator.store.JobResult r) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (r.framesEncoded() != null) v.put("frames_encoded", r.framesEncoded());
        if (r.durationSeconds() != null) v.put("duration_seconds", r.durationSeconds());
        if (r.outputSizeBytes() != null) v.put("output_size_bytes", r.outputSizeBytes());
        return v;
    }

    private static Map<String, Object> event(Event e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("at", time(e.at()));
        v.put("type", e.type());
        if (e.taskId() != null) v.put("task_id", e.taskId());
        if (e.workerId() != null) v.put("worker", e.workerId());
        if (e.detail() != null) v.put("detail", e.detail());
        return v;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
