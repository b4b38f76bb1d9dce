package dev.spool.cli.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Does one planned fault to the cluster and undoes it after its hold, recording what it caught in flight. */
final class Faults {
    private final ChaosCluster cluster;
    private final Monitor monitor;
    private final LongSupplier clock;
    private final Narration say;
    private final int planned;
    private final Function<TaskSample, String> describe;

    Faults(ChaosCluster cluster, Monitor monitor, LongSupplier clock, Narration say, int planned, Function<TaskSample, String> describe) {
        this.cluster = cluster;
        this.monitor = monitor;
        this.clock = clock;
        this.say = say;
        this.planned = planned;
        this.describe = describe;
    }

    FaultRecord inject(Fault f, Instant deadline) {
        return f.kind().hitsWorker() ? onWorker(f) : onCoordinator(f, deadline);
    }

    private FaultRecord onWorker(Fault f) {
        int victim = busiestFrom(f.target());
        String name = ChaosCluster.workerName(victim);
        List<TaskSample> caught = monitor.leased(name);
        List<String> described = caught.stream().map(describe).toList();
        long start = clock.getAsLong();
        say.faultBegins(f, planned, name, described, start);
        Process p = cluster.worker(victim);
        String note;
        if (f.kind() == FaultKind.WORKER_KILL) {
            ChaosCluster.signal(p, "KILL", true);   // the machine dies: its ffmpeg with it
            Pause.quietly(Duration.ofMillis(f.holdMs()));
            cluster.startWorker(victim);
            note = name + " restarted under the same --id after " + seconds(clock.getAsLong() - start);
        } else {
            ChaosCluster.signal(p, "STOP", true);
            Pause.quietly(Duration.ofMillis(f.holdMs()));
            ChaosCluster.signal(p, "CONT", true);
            note = name + " resumed (SIGCONT) after " + seconds(clock.getAsLong() - start) + " stopped";
        }
        FaultRecord r = new FaultRecord(f.index(), f.kind(), name, start, clock.getAsLong(), caught, note);
        say.faultEnds(r, planned, described);
        return r;
    }

    private FaultRecord onCoordinator(Fault f, Instant deadline) {
        String name = ChaosCluster.coordinatorName(f.target());
        String waited = "";
        if (f.kind() == FaultKind.COORDINATOR_KILL_MID_TASK) {
            long from = clock.getAsLong();
            Instant until = min(Instant.now().plus(Campaign.MID_TASK_WAIT), deadline);
            while (monitor.leased(null).stream().noneMatch(Faults::midTask) && Instant.now().isBefore(until))
                Pause.quietly(Duration.ofMillis(200));
            boolean midTask = monitor.leased(null).stream().anyMatch(Faults::midTask);
            waited = midTask ? "; waited " + seconds(clock.getAsLong() - from) + " for a task mid-way"
                    : "; no task was mid-way within " + Campaign.MID_TASK_WAIT.toSeconds() + " s, killed anyway";
        }
        List<TaskSample> caught = monitor.leased(null);
        List<String> described = caught.stream().map(describe).toList();
        long start = clock.getAsLong();
        say.faultBegins(f, planned, name, described, start);
        ChaosCluster.signal(cluster.coordinator(f.target()), "KILL", false);
        Pause.quietly(Duration.ofMillis(f.holdMs()));
        cluster.startCoordinator(f.target());
        FaultRecord r = new FaultRecord(f.index(), f.kind(), name, start, clock.getAsLong(), caught,
                name + " restarted after " + seconds(clock.getAsLong() - start) + " down" + waited);
        say.faultEnds(r, planned, described);
        return r;
    }

    /** The planned worker if it holds a task, else the next one (in order) that does, else the planned one. */
    private int busiestFrom(int target) {
        for (int k = 0; k < cluster.workerCount(); k++) {
            int i = (target + k) % cluster.workerCount();
            if (!monitor.leased(ChaosCluster.workerName(i)).isEmpty()) return i;
        }
        return target;
    }

    /** A worker is mid-way through this task: encoding with progress, or packaging (which reports none). */
    private static boolean midTask(TaskSample s) {
        return s.progress() > 0 && s.progress() < 100 || s.kind().equals("package");
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
