package dev.spool.coordinator.schedule;

import dev.spool.model.SpoolError;
import dev.spool.model.job.TaskKind;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Seed 000's {@code task_timeout}: how long one attempt at a task may hold its lease before the
 * coordinator takes it back. {@code auto} (the default) gives each task
 * max({@value #AUTO_FLOOR_MIN} min, {@value #AUTO_FACTOR} x the seconds of media it covers): a
 * piece its own length, the audio, a package step or a whole job the source's; a probe, whose
 * source is not measured yet, gets the floor; a whole job handed to an older worker before any
 * probe has no limit (its length is unknown). The clock includes downloading the input. A fixed
 * number of seconds applies to every task; {@code off} disables the rule. The worker's own stall
 * watch catches hung encodes much sooner; this is the backstop for everything else.
 */
public record TaskTimeout(Mode mode, Duration fixed) {
    public enum Mode { OFF, AUTO, FIXED }

    static final int AUTO_FLOOR_MIN = 30;
    static final int AUTO_FACTOR = 20;
    public static final Duration AUTO_FLOOR = Duration.ofMinutes(AUTO_FLOOR_MIN);
    public static final TaskTimeout AUTO = new TaskTimeout(Mode.AUTO, null);
    public static final TaskTimeout OFF = new TaskTimeout(Mode.OFF, null);
    public static final TaskTimeout DEFAULT = AUTO;

    public TaskTimeout {
        if (mode == null) throw SpoolError.invalid("--task-timeout", "needs a mode");
        if (mode == Mode.FIXED && (fixed == null || fixed.compareTo(Duration.ofSeconds(1)) < 0))
            throw SpoolError.invalid("--task-timeout", "must be at least 1 second");
        if (mode != Mode.FIXED) fixed = null;
    }

    public static TaskTimeout seconds(long seconds) {
        return new TaskTimeout(Mode.FIXED, Duration.ofSeconds(seconds));
    }

    /** "off", "auto" or a number of seconds, as {@code --task-timeout} takes it. */
    public static TaskTimeout parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("off")) return OFF;
        if (v.equals("auto")) return AUTO;
        if (v.matches("\\d{1,9}") && Long.parseLong(v) >= 1) return seconds(Long.parseLong(v));
        throw SpoolError.invalid("--task-timeout", "must be off, auto or a number of seconds (at least 1), not '" + value + "'");
    }

    /** The limit for one attempt at a task of this kind covering {@code mediaSec} seconds (negative: not known). */
    public Optional<Duration> limitFor(String kind, double mediaSec) {
        return switch (mode) {
            case OFF -> Optional.empty();
            case FIXED -> Optional.of(fixed);
            case AUTO -> {
                if (mediaSec > 0) {
                    Duration scaled = Duration.ofMillis(Math.round(mediaSec * AUTO_FACTOR * 1000));
                    yield Optional.of(scaled.compareTo(AUTO_FLOOR) > 0 ? scaled : AUTO_FLOOR);
                }
                yield kind.equals(TaskKind.PROBE.wire()) ? Optional.of(AUTO_FLOOR) : Optional.empty();
            }
        };
    }

    /** As the start-up line says it. */
    public String describe() {
        return switch (mode) {
            case OFF -> "off";
            case FIXED -> fixed.toSeconds() + " s";
            case AUTO -> "auto (max " + AUTO_FLOOR_MIN + " min, " + AUTO_FACTOR + "x the task's media)";
        };
    }
}
