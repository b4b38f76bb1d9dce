package dev.spool.media.run;

import java.util.List;

/** What a finished run reports: where the ladder is, what it holds, and how long it took. */
public record RunSummary(String out, String master, double sourceDurationSec, List<OutputSummary> outputs,
                         int checksPassed, long probeMs, long encodeMs, long packageMs, long verifyMs, long wallMs) {
    public RunSummary {
        outputs = List.copyOf(outputs);
    }

    /** Media seconds encoded per wall second. */
    public double speed() {
        return wallMs > 0 ? sourceDurationSec * 1000.0 / wallMs : 0;
    }
}
