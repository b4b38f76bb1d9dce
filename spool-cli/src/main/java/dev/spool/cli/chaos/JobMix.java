package dev.spool.cli.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seeded job mix: clip lengths, sound, split or whole, and when each job is submitted. A quarter
 * of the jobs go in at the start; the rest are spread evenly over the later faults, so that each
 * fault finds fresh work in flight. A job of wave W is submitted just before fault W (wave 0: at
 * the start, before fault 0).
 * The first job is split and has audio, the second runs whole without, so every mix has both.
 */
record JobMix(List<ChaosJob> jobs) {
    /** HLS segment length of every job; a split job's pieces are {@link #PIECE_SECONDS} long. */
    static final int HLS_TIME = 2;
    static final int PIECE_SECONDS = 4;
    /** The shortest clip that still splits into two pieces or more. */
    static final int MIN_SPLIT_SECONDS = PIECE_SECONDS + HLS_TIME;

    JobMix {
        jobs = List.copyOf(jobs);
    }

    static JobMix of(long seed, int count, int faults, int longestClip) {
        if (count < 1) throw new IllegalArgumentException("count must be 1 or more, not " + count);
        if (longestClip < MIN_SPLIT_SECONDS)
            throw new IllegalArgumentException("longestClip must be " + MIN_SPLIT_SECONDS + " or more, not " + longestClip);
        // its own stream of numbers: changing the fault count does not change the clips
        Random random = new Random(seed ^ 0x5DEECE66DL);
        int shortest = Math.max(2, longestClip / 4);
        int atStart = faults < 2 ? count : Math.max(1, count / 4);
        int later = count - atStart;
        List<ChaosJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int seconds = shortest + random.nextInt(longestClip - shortest + 1);
            boolean audio = random.nextDouble() < 0.6;
            boolean split = seconds >= MIN_SPLIT_SECONDS && random.nextBoolean();
            if (i == 0) {
                seconds = Math.max(seconds, MIN_SPLIT_SECONDS);
                audio = true;
                split = true;
            } else if (i == 1) {
                audio = false;
                split = false;
            }
            int wave = i < atStart ? 0 : 1 + (int) ((long) (i - atStart) * (faults - 1) / later);
            jobs.add(new ChaosJob(i, seconds, audio, split, wave));
        }
        return new JobMix(jobs);
    }

    List<ChaosJob> inWave(int wave) {
        return jobs.stream().filter(j -> j.wave() == wave).toList();
    }
}
