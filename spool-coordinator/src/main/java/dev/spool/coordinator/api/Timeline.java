package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.EventType;
import dev.spool.coordinator.queue.Task;
import dev.spool.model.job.TaskState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's attempts as bars over time, from its event trail: each {@code leased} event opens an
 * attempt at its task; the event that ended that attempt closes it. What ends one is read off the
 * code that writes the events: a success (probed, encoded, completed), a failure (failed: retried, or
 * the job's final one), a lease taken away (lease-expired, timed-out, worker-restarted), a task given
 * back without using an attempt (handed-back, unacknowledged), a package step that found pieces
 * missing; and for every attempt still open, the job's cancel, or another task's final failure
 * (which stops its siblings without an event of theirs). A pure function: no clock, no database.
 */
final class Timeline {
    /** One attempt: its task, who ran it, when, and how it ended ({@code end} null while it runs). */
    record Bar(String taskId, String kind, Integer piece, int attempt, String worker, Instant start, Instant end,
               String outcome, String error, String jobId) {}

    static final String RUNNING = "running";
    private static final Pattern ATTEMPT = Pattern.compile("attempt (\\d+)");
    /** endAttempt's detail: "piece 3, attempt 2: ERROR; retry after T" or "..., attempt 2, final: ERROR". */
    private static final Pattern ERROR = Pattern.compile("attempt \\d+(?:, final)?: (.*?)(?:; retry after \\S+)?$", Pattern.DOTALL);

    private Timeline() {}

    /** The job's bars, oldest first; {@code tasks} give each bar its kind and piece, and the end of any left open. */
    static List<Bar> of(List<Event> events, List<Task> tasks) {
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task t : tasks) byId.put(t.id(), t);
        List<Bar> bars = new ArrayList<>();
        Map<String, Integer> open = new LinkedHashMap<>();   // task id -> index of its open bar
        for (Event e : events) {
            String task = e.taskId();
            if (e.type() == EventType.LEASED && task != null) {
                Integer still = open.remove(task);   // never without an ending event; closed here all the same
                if (still != null) bars.set(still, close(bars.get(still), e.at(), "unknown", null));
                Task t = byId.get(task);
                bars.add(new Bar(task, t == null ? null : t.kind().wire(), t == null ? null : t.piece(), attempt(e.detail()),
                        e.workerId(), e.at(), null, RUNNING, null, e.jobId()));
                open.put(task, bars.size() - 1);
                continue;
            }
            String outcome = ending(e);
            if (outcome == null) continue;
            if (task != null && open.containsKey(task)) {
                int i = open.remove(task);
                bars.set(i, close(bars.get(i), e.at(), outcome, outcome.equals("done") ? null : error(e.detail())));
            }
            // the job ended: a cancel, or a final failure, which stops every sibling still running
            if (task == null && e.type() == EventType.CANCELLED || outcome.equals("failed")) {
                for (int i : open.values()) bars.set(i, close(bars.get(i), e.at(), "cancelled", null));
                open.clear();
            }
        }
        for (var left : open.entrySet()) {   // no event ended it: the task's state says whether it still runs
            Task t = byId.get(left.getKey());
            if (t != null && t.state() != TaskState.LEASED && t.state() != TaskState.QUEUED) {
                Bar b = bars.get(left.getValue());
                bars.set(left.getValue(), close(b, t.finishedAt(), t.state() == TaskState.CANCELLED ? "cancelled"
                        : t.state().name().toLowerCase(java.util.Locale.ROOT), null));
            }
        }
        return bars;
    }

    /** How an event ends the attempt it names, or null when it ends none. */
    static String ending(Event e) {
        return switch (e.type()) {
            case PROBED, ENCODED, COMPLETED -> "done";
            case FAILED -> e.detail() != null && e.detail().contains(", final: ") ? "failed" : "retried";
            case LEASE_EXPIRED, TIMED_OUT, HANDED_BACK, UNACKNOWLEDGED, WORKER_RESTARTED, PIECES_MISSING -> e.type().wire();
            case CANCELLED -> "cancelled";
            default -> null;
        };
    }

    private static Bar close(Bar b, Instant end, String outcome, String error) {
        return new Bar(b.taskId(), b.kind(), b.piece(), b.attempt(), b.worker(), b.start(), end, outcome, error, b.jobId());
    }

    private static int attempt(String detail) {
        Matcher m = ATTEMPT.matcher(detail == null ? "" : detail);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String error(String detail) {
        if (detail == null) return null;
        Matcher m = ERROR.matcher(detail);
        return m.find() ? m.group(1) : detail;
    }
}
