package dev.spool.coordinator.webhooks;

import dev.spool.model.SpoolError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a webhook is tried again: the Standard Webhooks schedule (at once, then 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h) stretched to about three days with 14 h, 20 h and 24 h, each delay with up to 10 %
 * of jitter so that many deliveries that failed together do not return together.
 */
public record RetrySchedule(List<Duration> delays) {
    public static final RetrySchedule DEFAULT = parse("5s,5m,30m,2h,5h,10h,14h,20h,24h");

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) throw SpoolError.invalid("--webhook-retries", "must name at least one delay, such as 5s");
        for (Duration d : delays) if (d.isNegative()) throw SpoolError.invalid("--webhook-retries", "must not hold a negative delay");
    }

    /** After attempt {@code attempts} failed: when to try again, or empty when the schedule is used up. */
    public Optional<Instant> next(int attempts, Instant now, Optional<Duration> retryAfter) {
        if (attempts < 1 || attempts > delays.size()) return Optional.empty();
        Duration delay = delays.get(attempts - 1);
        long jitter = (long) (delay.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
        Duration wait = delay.plusMillis(jitter);
        // an endpoint's Retry-After is honoured, but never beyond the schedule's last delay
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0)
            wait = retryAfter.get().compareTo(delays.getLast()) < 0 ? retryAfter.get() : delays.getLast();
        return Optional.of(now.plus(wait));
    }

    /** The schedule as {@link #parse} reads it: "5s,5m,30m,2h". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Duration d : delays) {
            long s = d.toSeconds();
            parts.add(s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s");
        }
        return String.join(",", parts);
    }

    /** "5s,5m,30m,2h" (s, m, h, d), as {@code --webhook-retries} takes it. */
    public static RetrySchedule parse(String text) {
        return parse("--webhook-retries", text);
    }

    /** Delays as {@link #parse(String)} reads them, a bad one refused naming {@code flag}. */
    public static RetrySchedule parse(String flag, String text) {
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (!p.matches("\\d{1,6}[smhd]")) throw SpoolError.invalid(flag,
                    "must be delays such as 5s,5m,30m,2h (s, m, h or d), not '" + p + "'");
            long n = Long.parseLong(p.substring(0, p.length() - 1));
            delays.add(switch (p.charAt(p.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return new RetrySchedule(delays);
    }
}
