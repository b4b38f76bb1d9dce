package dev.spool.coordinator.queue;

import dev.spool.model.job.TaskKind;

import java.util.EnumMap;
import java.util.Map;

/** The one place task kinds are registered on the coordinator's side: every kind has its handler. */
final class TaskKinds {
    private static final Map<TaskKind, KindHandler> HANDLERS = register(new ProbeTask(), new TranscodeTask(),
            new PieceTask(TaskKind.ENCODE_VIDEO), new PieceTask(TaskKind.ENCODE_AUDIO), new PackageTask());

    private TaskKinds() {}

    static KindHandler of(String wire) {
        return of(TaskKind.of(wire));
    }

    static KindHandler of(TaskKind kind) {
        KindHandler handler = HANDLERS.get(kind);
        if (handler == null) throw new IllegalStateException("no handler registered for task kind " + kind.wire());
        return handler;
    }

    private static Map<TaskKind, KindHandler> register(KindHandler... handlers) {
        Map<TaskKind, KindHandler> all = new EnumMap<>(TaskKind.class);
        for (KindHandler h : handlers)
            if (all.put(h.kind(), h) != null) throw new IllegalStateException("two handlers for task kind " + h.kind().wire());
        return all;
    }
}
