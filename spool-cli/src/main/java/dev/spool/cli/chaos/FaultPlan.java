package dev.spool.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded fault schedule: the same seed and sizes give the same faults, targets, gaps and
 * holds. Faults run one after another, each undone before the next, so with two coordinators one
 * is always up. The first four cover every kind (in a seeded order) when there are four or more.
 */
record FaultPlan(List<Fault> faults) {
    /** Shortest and longest pause between faults: enough for the cluster to make progress in between. */
    static final long MIN_GAP_MS = 1_500;
    static final long MAX_GAP_MS = 5_000;
    /** How long a killed worker or coordinator stays down before its restart. */
    static final long MIN_DOWN_MS = 500;
    static final long MAX_DOWN_MS = 3_000;
    /** A stopped worker stays stopped this much longer than the worker timeout, so its lease surely lapses. */
    static final long MIN_PAST_LEASE_MS = 1_500;
    static final long MAX_PAST_LEASE_MS = 4_000;

    FaultPlan {
        faults = List.copyOf(faults);
    }

    static FaultPlan of(long seed, int faults, int workers, int coordinators, Duration workerTimeout) {
        if (faults < 0) throw new IllegalArgumentException("faults must be 0 or more, not " + faults);
        if (workers < 1) throw new IllegalArgumentException("workers must be 1 or more, not " + workers);
        if (coordinators < 1) throw new IllegalArgumentException("coordinators must be 1 or more, not " + coordinators);
        Random random = new Random(seed);
        List<FaultKind> first = new ArrayList<>(List.of(FaultKind.values()));
        Collections.shuffle(first, random);
        List<Fault> plan = new ArrayList<>();
        for (int i = 0; i < faults; i++) {
            FaultKind kind = i < first.size() ? first.get(i) : FaultKind.values()[random.nextInt(FaultKind.values().length)];
            int target = random.nextInt(kind.hitsWorker() ? workers : coordinators);
            long gap = between(random, MIN_GAP_MS, MAX_GAP_MS);
            long hold = kind == FaultKind.WORKER_STOP
                    ? workerTimeout.toMillis() + between(random, MIN_PAST_LEASE_MS, MAX_PAST_LEASE_MS)
                    : between(random, MIN_DOWN_MS, MAX_DOWN_MS);
            plan.add(new Fault(i, kind, target, gap, hold));
        }
        return new FaultPlan(plan);
    }

    private static long between(Random random, long min, long max) {
        return min + (long) (random.nextDouble() * (max - min));
    }
}
