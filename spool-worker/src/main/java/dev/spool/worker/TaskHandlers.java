package dev.spool.worker;

import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The task kinds this worker runs, one handler each: the one place a new kind is registered. */
final class TaskHandlers {
    private final Map<TaskKind, TaskHandler> byKind = new EnumMap<>(TaskKind.class);

    TaskHandlers(List<TaskHandler> handlers) {
        for (TaskHandler h : handlers)
            if (byKind.put(h.kind(), h) != null) throw new IllegalArgumentException("two handlers for task kind " + h.kind());
    }

    /** Every kind of DESIGN section 3: a whole job, and the probe, pieces, audio and package step of a split one. */
    static TaskHandlers standard() {
        return new TaskHandlers(List.of(new TranscodeTask(), new ProbeTask(), new EncodeVideoTask(), new EncodeAudioTask(),
                new PackageTask()));
    }

    /** The same handlers with {@code handler} in place of its kind's (a test's task that it can hold). */
    TaskHandlers with(TaskHandler handler) {
        Map<TaskKind, TaskHandler> all = new EnumMap<>(byKind);
        all.put(handler.kind(), handler);
        return new TaskHandlers(List.copyOf(all.values()));
    }

    TaskHandler forKind(TaskKind kind) {
        TaskHandler h = byKind.get(kind);
        if (h == null) throw SpoolError.invalid("kind", "'" + kind.wire() + "' is a task kind this worker does not run");
        return h;
    }
}
