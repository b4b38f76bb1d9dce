package dev.spool.media.verify;

import dev.spool.media.probe.MediaInfo;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an output is checked against: the source's video and audio durations (absent for a
 * standalone {@code spool verify}, when renditions are compared with each other), and the HLS
 * segment length asked for (absent: each media playlist's EXT-X-TARGETDURATION, never a guess from
 * the segments themselves).
 */
public record Expectations(OptionalDouble videoDurationSec, OptionalDouble audioDurationSec, OptionalInt hlsTime,
                           String masterName) {
    /** Variant, audio and source durations may differ by this much. */
    public static final double DURATION_TOLERANCE_SEC = 0.1;
    /** A segment may overrun the target length by this much (the last one excepted). */
    public static final double SEGMENT_OVERRUN_SEC = 0.5;

    public static Expectations of(MediaInfo source, int hlsTime, String masterName) {
        return of(source, OptionalInt.of(hlsTime), masterName);
    }

    /** Against a source; the segment length from the playlists unless {@code hlsTime} says it. */
    public static Expectations of(MediaInfo source, OptionalInt hlsTime, String masterName) {
        return new Expectations(OptionalDouble.of(source.videoDurationSec()), OptionalDouble.of(source.audioDurationSec()),
                hlsTime, masterName);
    }

    public static Expectations standalone(OptionalInt hlsTime, String masterName) {
        return new Expectations(OptionalDouble.empty(), OptionalDouble.empty(), hlsTime, masterName);
    }

    /** The difference audio minus video that the source itself has; outputs should keep it. */
    double sourceDrift() {
        return videoDurationSec.isPresent() && audioDurationSec.isPresent()
                ? audioDurationSec.getAsDouble() - videoDurationSec.getAsDouble() : 0;
    }
}
