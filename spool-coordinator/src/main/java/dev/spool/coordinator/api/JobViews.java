package dev.spool.coordinator.api;

import dev.spool.coordinator.queue.Delivery;
import dev.spool.coordinator.queue.Event;
import dev.spool.model.net.RedactedUrl;
import dev.spool.model.protocol.Replies;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.Task;

import java.time.Instant;
import java.util.List;

/** What a client sees of a job, its tasks and its events ({@link Replies}). */
final class JobViews {
    private JobViews() {}

    /** A job as the list shows it; {@code playbackUrl} (null: none) is where this coordinator serves the completed output's manifest. */
    static Replies.JobSummary summary(Job j, String playbackUrl) {
        return new Replies.JobSummary(j.id(), j.state(), j.priority(), round(j.progress()), round(j.fps()),
                Math.round(j.speed() * 100) / 100.0, j.etaSec(), j.spec().input(), j.spec().output(), j.spec().labels(), j.error(),
                j.needsAttention(),   // seed 002's escalation: a person has to look
                j.needsAttention() ? j.attention() : null,
                j.manifestUrl() != null ? new Replies.Outputs(j.manifestUrl(), playbackUrl) : null,
                j.result() != null ? result(j.result()) : null,
                time(j.createdAt()), time(j.startedAt()), time(j.finishedAt()));
    }

    static Replies.JobView full(Job j, List<Task> tasks, List<Event> events, List<Delivery> deliveries) {
        return full(j, null, tasks, events, deliveries);
    }

    static Replies.JobView full(Job j, String playbackUrl, List<Task> tasks, List<Event> events, List<Delivery> deliveries) {
        return new Replies.JobView(summary(j, playbackUrl), j.spec().withoutSecrets().asked(),   // the request as accepted, its defaults filled in
                j.split() != null ? j.split().pieces().pieces().size() : null, j.encoderBuild(),
                committed(tasks).map(t -> new Replies.Commit(t.id(), t.commitLease())).orElse(null),
                tasks.stream().map(JobViews::task).toList(), events.stream().map(JobViews::event).toList(),
                deliveries.stream().map(JobViews::delivery).toList(),
                Timeline.of(events, tasks).stream().map(JobViews::bar).toList());
    }

    private static Replies.TimelineBar bar(Timeline.Bar b) {
        return new Replies.TimelineBar(b.taskId(), b.kind(), b.piece(), b.attempt(), b.worker(), time(b.start()), time(b.end()),
                b.outcome(), b.error());
    }

    /** The finished transcode or package step, if its output was committed under a grant: the lease it went to. */
    private static java.util.Optional<Task> committed(List<Task> tasks) {
        return tasks.stream().filter(t -> t.state() == dev.spool.model.job.TaskState.DONE && t.commitLease() != null).findFirst();
    }

    private static Replies.TaskView task(Task t) {
        boolean leased = t.state() == dev.spool.model.job.TaskState.LEASED;
        Long wallMs = t.startedAt() != null && t.finishedAt() != null && t.state() == dev.spool.model.job.TaskState.DONE
                ? t.finishedAt().toEpochMilli() - t.startedAt().toEpochMilli() : null;
        return new Replies.TaskView(t.id(), t.kind().wire(), t.piece(), t.state(), t.workerId(), t.attempt(), t.maxAttempts(),
                round(t.progress()), leased ? round(t.fps()) : null, leased ? Math.round(t.speed() * 100) / 100.0 : null,
                t.framesDone(), t.lastError(), time(t.startedAt()), time(t.finishedAt()), wallMs,
                t.logTail().isEmpty() ? null : t.logTail());
    }

    /** Seed 000's job result, with only what the committing worker measured. */
    private static Replies.Result result(dev.spool.coordinator.queue.JobResult r) {
        return new Replies.Result(r.framesEncoded(), r.durationSeconds(), r.outputSizeBytes());
    }

    private static Replies.EventView event(Event e) {
        return new Replies.EventView(time(e.at()), e.type().wire(), e.taskId(), e.workerId(), e.detail());
    }

    /** A URL as shown to clients: its query (where tokens often travel) left out. */
    static Replies.WebhookView delivery(Delivery d) {
        return new Replies.WebhookView(d.id(), d.jobId(), d.event(), RedactedUrl.of(d.url()),
                d.state().name(), d.attempts(), d.lastStatus(), d.lastError(),
                d.state() == Delivery.State.PENDING ? time(d.nextAttemptAt()) : null, time(d.createdAt()), time(d.finishedAt()));
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
