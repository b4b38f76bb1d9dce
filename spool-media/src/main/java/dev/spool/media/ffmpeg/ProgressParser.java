package dev.spool.media.ffmpeg;

import java.util.Optional;

/**
 * Reads the key=value blocks ffmpeg writes with {@code -progress}; each block ends with a
 * {@code progress=continue|end} line, at which a {@link Progress} is produced.
 */
public final class ProgressParser {
    private final double durationSec;
    private double outTimeSec;
    private double fps;
    private double speed;
    private long frames = -1;

    public ProgressParser(double durationSec) {
        this.durationSec = durationSec;
    }

    /** Feeds one line; returns a report when the line closes a block. */
    public Optional<Progress> accept(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) return Optional.empty();
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        switch (key) {
            case "out_time_us" -> outTimeSec = Math.max(0, parse(value) / 1_000_000.0);
            case "frame" -> frames = (long) parse(value);
            case "fps" -> fps = parse(value);
            case "speed" -> speed = parse(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
            case "progress" -> {
                return Optional.of(report(value.equals("end")));
            }
            default -> { }
        }
        return Optional.empty();
    }

    private Progress report(boolean done) {
        if (done) return new Progress(100, fps, speed, 0, true, frames);
        double percent = durationSec > 0 ? Math.min(100, 100 * outTimeSec / durationSec) : 0;
        long eta = speed > 0 && durationSec > 0 ? Math.round(Math.max(0, durationSec - outTimeSec) / speed) : -1;
        return new Progress(percent, fps, speed, eta, false, frames);
    }

    /** ffmpeg prints "N/A" before it knows a value. */
    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
