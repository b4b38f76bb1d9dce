package dev.spool.coordinator.scale;

import dev.spool.coordinator.queue.ScaleState;
import dev.spool.model.SpoolError;

import java.time.Duration;
import java.time.Instant;

/**
 * Seed 000's ScalePolicy: how many workers a pool wants. The need is the slots busy now plus the
 * slots that would drain the queued work (in media seconds, at {@link #ASSUMED_SPEED}) within the
 * {@code horizon}, but never more slots than there are queued tasks: one 10 s clip asks for one
 * worker, a film cut into 200 pieces for as many as its seconds need; bounded by min and max.
 * Up at once, when the pool has no room (utilization at {@code scaleUpThreshold} or no slots at
 * all: the first job from zero); with room, only up to the workers already there; down only after the need has stayed lower for the cooldown, the
 * cooldown has passed since the last change, and utilization is at {@code scaleDownThreshold} or
 * under. Between the thresholds the count holds: that band and the cooldown stop it flapping.
 */
public record ScalePolicy(int minWorkers, int maxWorkers, double scaleUpThreshold, double scaleDownThreshold, Duration cooldown,
                          Duration horizon) {
    public static final int DEFAULT_MIN_WORKERS = 0;
    public static final int DEFAULT_MAX_WORKERS = 10;
    public static final double DEFAULT_SCALE_UP_THRESHOLD = 0.8;
    public static final double DEFAULT_SCALE_DOWN_THRESHOLD = 0.3;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    public static final Duration DEFAULT_HORIZON = Duration.ofMinutes(2);
    /**
     * Media seconds one slot encodes per wall second, for sizing: about realtime for a 1080p ladder on
     * a few CPU cores. A faster fleet drains sooner than asked; the horizon is the knob to turn.
     */
    public static final double ASSUMED_SPEED = 1.0;
    public static final ScalePolicy DEFAULT = new ScalePolicy(DEFAULT_MIN_WORKERS, DEFAULT_MAX_WORKERS, DEFAULT_SCALE_UP_THRESHOLD,
            DEFAULT_SCALE_DOWN_THRESHOLD, DEFAULT_COOLDOWN, DEFAULT_HORIZON);

    public ScalePolicy {
        if (minWorkers < 0) throw SpoolError.invalid("--min-workers", "must be 0 or more");
        if (maxWorkers < 1) throw SpoolError.invalid("--max-workers", "must be 1 or more");
        if (minWorkers > maxWorkers) throw SpoolError.invalid("--min-workers", "must not be more than --max-workers (" + maxWorkers + ")");
        if (!(scaleUpThreshold > 0 && scaleUpThreshold <= 1)) throw SpoolError.invalid("--scale-up-threshold", "must be over 0 and at most 1");
        if (!(scaleDownThreshold >= 0 && scaleDownThreshold < scaleUpThreshold))
            throw SpoolError.invalid("--scale-down-threshold", "must be 0 or more and under --scale-up-threshold (" + scaleUpThreshold + ")");
        if (cooldown == null || cooldown.isNegative()) throw SpoolError.invalid("--scale-cooldown", "must be 0 or more");
        if (horizon == null || horizon.isNegative() || horizon.isZero()) throw SpoolError.invalid("--scale-horizon", "must be more than 0");
    }

    /** The same policy with another horizon. */
    public ScalePolicy withHorizon(Duration horizon) {
        return new ScalePolicy(minWorkers, maxWorkers, scaleUpThreshold, scaleDownThreshold, cooldown, horizon);
    }

    /** The workers the pool needs now, bounded by min and max, before hysteresis and cooldown. */
    public int target(PoolLoad load) {
        int queueSlots = 0;
        if (load.queuedTasks() > 0) {
            double drainSlots = Math.ceil(load.queuedSeconds() / (horizon.toMillis() / 1000.0 * ASSUMED_SPEED));
            queueSlots = (int) Math.min(load.queuedTasks(), Math.max(1, drainSlots));
        }
        long workers = (long) Math.ceil((load.busySlots() + queueSlots) / load.slotsPerWorker());
        return (int) Math.max(minWorkers, Math.min(maxWorkers, workers));
    }

    /**
     * The pool's next state from the one stored ({@code previous}; null: none yet). {@code changed}:
     * the desired count moved (an actuator acts); {@code next} equal to {@code previous}: nothing to write.
     */
    public Decision decide(PoolLoad load, ScaleState previous, Instant now) {
        int target = target(load);
        if (previous == null) return new Decision(new ScaleState(load.pool(), target, now, null, 0), target > 0, target, load.utilization());
        int desired = previous.desired();
        double utilization = load.utilization();
        if (desired < minWorkers || desired > maxWorkers) return change(previous, target, now, utilization);   // the bounds changed
        if (target > desired) {
            if (load.slots() == 0 || utilization >= scaleUpThreshold) return change(previous, target, now, utilization);
            // free slots will take the work first: no new workers, but the count covers those already
            // there that the work needs (a platform must not stop a worker about to take it)
            int covered = Math.min(target, load.workers());
            if (covered > desired)
                return new Decision(new ScaleState(previous.pool(), covered, now, null, previous.version()), true, target, utilization);
            return hold(previous, null, target, utilization);
        }
        if (target < desired) {
            Instant lowSince = previous.lowSince() != null ? previous.lowSince() : now;
            boolean cooled = !now.isBefore(lowSince.plus(cooldown)) && !now.isBefore(previous.changedAt().plus(cooldown));
            if (cooled && utilization <= scaleDownThreshold) return change(previous, target, now, utilization);
            return hold(previous, lowSince, target, utilization);
        }
        return hold(previous, null, target, utilization);
    }

    private static Decision change(ScaleState previous, int target, Instant now, double utilization) {
        return new Decision(new ScaleState(previous.pool(), target, now, null, previous.version()), true, target, utilization);
    }

    private static Decision hold(ScaleState previous, Instant lowSince, int target, double utilization) {
        return new Decision(new ScaleState(previous.pool(), previous.desired(), previous.changedAt(), lowSince, previous.version()), false,
                target, utilization);
    }

    /** The next state, whether its count changed, the need before hysteresis, and the utilization it was decided at. */
    public record Decision(ScaleState next, boolean changed, int target, double utilization) {}

    public String describe() {
        return "workers " + minWorkers + ".." + maxWorkers + " per pool, scale up at " + scaleUpThreshold + " and down at "
                + scaleDownThreshold + " utilization, cooldown " + cooldown.toMillis() / 1000.0 + " s, horizon "
                + horizon.toMillis() / 1000.0 + " s";
    }
}
