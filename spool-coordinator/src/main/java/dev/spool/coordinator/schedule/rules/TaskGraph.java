package dev.spool.coordinator.schedule.rules;

import dev.spool.model.encode.PiecePlan;
import dev.spool.model.job.JobRecord;
import dev.spool.model.job.TaskKind;
import dev.spool.model.job.TaskState;
import dev.spool.model.protocol.WorkerMessages;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's shape once its probe said what the source is (DESIGN section 3): one whole-job
 * transcode, or N encode-video pieces and one encode-audio, with a package step BLOCKED until
 * every one of them is DONE. Plain logic: the queue inserts the tasks it names.
 */
public final class TaskGraph {
    /** Shares of a job's progress beside its video pieces (which weigh their seconds). */
    public static final double PROBE_SHARE = 0.01;
    static final double AUDIO_SHARE = 0.03;
    static final double PACKAGE_SHARE = 0.02;

    private TaskGraph() {}

    /**
     * A task to create: its kind, first state, piece (null unless a video piece), share of the job's
     * progress, and whether it needs the job's video encoder (the audio and the package do not).
     */
    public record NewTask(TaskKind kind, TaskState state, Integer piece, double weight, boolean needsVideoEncoder) {}

    /**
     * The plan: the tasks, the split (null when the job runs whole), the probe's own new weight
     * (null: unchanged) and the line the job's {@code planned} event says.
     */
    public record Plan(List<NewTask> tasks, WorkerMessages.Split split, Double probeWeight, String description) {
        public Plan {
            tasks = List.copyOf(tasks);
        }
    }

    public static Plan after(JobRecord spec, WorkerMessages.Probed probed) {
        PiecePlan pieces = spec.splittable() && probed.video() && probed.videoDurationSec() > 0
                ? PiecePlan.of(probed.videoDurationSec(), probed.frameRate(), spec.hlsSettings().segmentTime(), spec.pieceSeconds())
                : null;
        if (pieces == null || pieces.pieces().size() == 1) {
            return new Plan(List.of(new NewTask(TaskKind.TRANSCODE, TaskState.QUEUED, null, 1, true)), null, null,
                    "runs whole on one worker (" + (pieces == null ? "not split" : "shorter than one piece") + ")");
        }
        double duration = probed.videoDurationSec();
        List<NewTask> tasks = new ArrayList<>();
        if (probed.audio()) tasks.add(new NewTask(TaskKind.ENCODE_AUDIO, TaskState.QUEUED, null, duration * AUDIO_SHARE, false));
        for (PiecePlan.Piece p : pieces.pieces())
            tasks.add(new NewTask(TaskKind.ENCODE_VIDEO, TaskState.QUEUED, p.index(), p.lengthSec(duration, probed.frameRate()), true));
        tasks.add(new NewTask(TaskKind.PACKAGE, TaskState.BLOCKED, null, duration * PACKAGE_SHARE, false));
        return new Plan(tasks, new WorkerMessages.Split(pieces, probed.frameRate(), null, null), duration * PROBE_SHARE,
                pieces.pieces().size() + " pieces of " + spec.pieceSeconds() + " s" + (probed.audio() ? ", the audio whole" : "")
                        + ", then package");
    }
}
