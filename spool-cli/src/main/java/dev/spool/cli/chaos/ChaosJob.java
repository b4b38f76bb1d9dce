package dev.spool.cli.chaos;

/**
 * One job of the campaign: a generated clip ({@code seconds} long, with or without audio), split
 * into pieces or run whole, submitted just before fault number {@code wave} (0: at the start).
 */
record ChaosJob(int index, int seconds, boolean audio, boolean split, int wave) {
    ChaosJob {
        if (index < 0) throw new IllegalArgumentException("index must be 0 or more, not " + index);
        if (seconds < 1) throw new IllegalArgumentException("seconds must be 1 or more, not " + seconds);
        if (wave < 0) throw new IllegalArgumentException("wave must be 0 or more, not " + wave);
    }

    String name() {
        return String.format(java.util.Locale.ROOT, "job-%02d", index);
    }

    /** The clip's file name: jobs of the same length and sound share one clip. */
    String clip() {
        return "clip-" + seconds + "s" + (audio ? "-audio" : "") + ".mp4";
    }
}
