package dev.spool.coordinator.scale;

import dev.spool.coordinator.queue.JobQueue;
import dev.spool.coordinator.queue.PoolWork;
import dev.spool.coordinator.queue.Requirements;
import dev.spool.coordinator.queue.ScaleState;
import dev.spool.coordinator.queue.WorkerRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides every pool's desired worker count from the database and writes it back there. Every
 * coordinator runs it; the state (count, last change, since when it wanted fewer) lives in the
 * database, so they publish the same count and a restart keeps the cooldown. A write names the
 * version it read: of two coordinators deciding at once one wins, and only the winner drains
 * workers and calls the actuator.
 */
public final class Autoscaler implements Runnable {
    private static final System.Logger LOG = System.getLogger(Autoscaler.class.getName());

    private final JobQueue queue;
    private final Clock clock;
    private final ScalePolicy policy;
    private final Duration workerTimeout;
    private final Actuator actuator;

    public Autoscaler(JobQueue queue, Clock clock, ScalePolicy policy, Duration workerTimeout, Actuator actuator) {
        this.queue = queue;
        this.clock = clock;
        this.policy = policy;
        this.workerTimeout = workerTimeout;
        this.actuator = actuator;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Map<String, PoolWork> work = queue.poolWork().stream().collect(Collectors.toMap(PoolWork::pool, Function.identity()));
        Map<String, ScaleState> states = queue.scaleStates().stream().collect(Collectors.toMap(ScaleState::pool, Function.identity()));
        List<WorkerRecord> online = queue.workers().stream()
                .filter(w -> Duration.between(w.lastSeenAt(), now).compareTo(workerTimeout) < 0).toList();
        TreeSet<String> pools = new TreeSet<>(work.keySet());
        pools.addAll(states.keySet());
        pools.add(Requirements.TRANSCODE_POOL);
        for (WorkerRecord w : online) pools.addAll(w.pools());
        for (String pool : pools) {
            List<WorkerRecord> active = online.stream()
                    .filter(w -> w.pools().contains(pool) && w.control() != WorkerRecord.Control.DRAINING).toList();
            PoolWork w = work.getOrDefault(pool, new PoolWork(pool, 0, 0, 0));
            PoolLoad load = new PoolLoad(pool, w.queuedTasks(), w.queuedSeconds(), w.leasedTasks(),
                    active.stream().mapToInt(WorkerRecord::slots).sum(), active.size());
            decide(load, states.get(pool), active, now);
        }
    }

    private void decide(PoolLoad load, ScaleState previous, List<WorkerRecord> active, Instant now) {
        ScalePolicy.Decision d = policy.decide(load, previous, now);
        if (d.next().equals(previous)) return;
        if (!queue.saveScaleState(d.next(), previous == null ? 0 : previous.version())) return;   // another coordinator decided first
        if (!d.changed()) return;
        int from = previous == null ? 0 : previous.desired();
        List<String> drained = new ArrayList<>();
        if (actuator.drains() && d.next().desired() < active.size()) {
            List<String> ids = active.stream().map(WorkerRecord::id).toList();
            for (String id : DrainChoice.pick(ids, queue.leased(), active.size() - d.next().desired()))
                if (queue.controlWorker(id, WorkerRecord.Control.DRAINING).isPresent()) drained.add(id);
        }
        LOG.log(System.Logger.Level.INFO, "pool " + load.pool() + ": desired workers " + from + " -> " + d.next().desired()
                + " (queued " + load.queuedTasks() + " tasks, " + Math.round(load.queuedSeconds()) + " s of media; " + load.busySlots()
                + " of " + load.slots() + " slots busy on " + load.workers() + " workers)" + (drained.isEmpty() ? "" : "; draining " + drained));
        actuator.scaled(load.pool(), from, d.next().desired(), drained);
    }
}
