package dev.spool.cli.chaos;

import dev.spool.model.protocol.Wire;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the campaign says as it goes: lines for a person, or one JSON object per line with --json. */
final class Narration {
    private final PrintStream out;
    private final boolean json;

    Narration(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A line for a person, stamped with the campaign time; nothing with --json. */
    void note(long atMs, String text) {
        if (!json) out.printf(Locale.ROOT, "%8s  %s%n", stamp(atMs), text);
        out.flush();
    }

    void faultBegins(Fault f, int of, String target, List<String> inFlight, long atMs) {
        note(atMs, String.format(Locale.ROOT, "fault %d/%d  %s %s%s", f.index() + 1, of, f.kind().label(), target,
                inFlight.isEmpty() ? " (nothing in flight there)" : " (in flight: " + String.join(", ", inFlight) + ")"));
    }

    void faultEnds(FaultRecord r, int of, List<String> inFlight) {
        note(r.endMs(), String.format(Locale.ROOT, "fault %d/%d  undone: %s", r.index() + 1, of, r.note()));
        if (!json) return;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "fault");
        line.put("index", r.index() + 1);
        line.put("kind", r.kind().name());
        line.put("target", r.target());
        line.put("start_s", r.startMs() / 1000.0);
        line.put("end_s", r.endMs() / 1000.0);
        line.put("in_flight", inFlight);
        line.put("note", r.note());
        print(line);
    }

    void print(Map<String, Object> line) {
        try {
            out.println(Wire.JSON.writeValueAsString(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        out.flush();
    }

    static String stamp(long atMs) {
        return String.format(Locale.ROOT, "+%.1fs", atMs / 1000.0);
    }
}
