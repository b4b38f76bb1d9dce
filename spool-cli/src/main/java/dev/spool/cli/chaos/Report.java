package dev.spool.cli.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The campaign's summary: a table for a person, or one {"type":"summary"} JSON object. */
final class Report {
    private Report() {}

    static void text(PrintStream out, String setup, Campaign.Outcome o) {
        AuditReport a = o.audit();
        out.println();
        out.printf(Locale.ROOT, "audit (%s, %.1f s):%n", setup, o.elapsedMs() / 1000.0);
        row(out, "jobs completed", a.completed() + "/" + a.jobs());
        row(out, "outputs verified against their source", a.verified() + "/" + a.jobs());
        row(out, "lost (failed, cancelled, missing, not verified)", Integer.toString(a.lost().size()));
        row(out, "stuck (not ended)", Integer.toString(a.stuck().size()));
        row(out, "outputs from a refused lease", Integer.toString(a.refused().size()));
        row(out, "pieces accepted more than once", Integer.toString(a.duplicates().size()));
        row(out, "extra attempts (re-encodes; information)", Integer.toString(a.extraAttempts()));
        if (!o.faults().isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "  %-3s %-32s %-4s %9s %9s  %s%n", "#", "fault", "on", "at", "undone", "recovered after");
            for (int i = 0; i < o.faults().size(); i++) {
                FaultRecord f = o.faults().get(i);
                Long after = a.recoveries().get(i).afterMs();
                out.printf(Locale.ROOT, "  %-3d %-32s %-4s %9s %9s  %s%n", f.index() + 1, f.kind().label(), f.target(),
                        Narration.stamp(f.startMs()), Narration.stamp(f.endMs()),
                        after != null ? String.format(Locale.ROOT, "%.1f s", after / 1000.0)
                                : f.inFlight().isEmpty() ? "- (nothing was in flight)" : "never: what it caught did not move on");
            }
        }
        List<String> problems = problems(a);
        if (!problems.isEmpty() || !o.notes().isEmpty()) out.println();
        for (String p : problems) out.println("  FAIL  " + p);
        for (String n : o.notes()) out.println("  note  " + n);
        out.println();
        out.println(a.ok() ? "chaos: PASS: nothing lost, stuck, doubled or committed by a refused lease"
                : "chaos: FAIL: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
        out.flush();
    }

    static Map<String, Object> json(Map<String, Object> setup, Campaign.Outcome o) {
        AuditReport a = o.audit();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", "summary");
        v.put("ok", a.ok());
        v.putAll(setup);
        v.put("elapsed_s", o.elapsedMs() / 1000.0);
        v.put("jobs", a.jobs());
        v.put("completed", a.completed());
        v.put("verified", a.verified());
        v.put("lost", a.lost().size());
        v.put("stuck", a.stuck().size());
        v.put("refused_lease_outputs", a.refused().size());
        v.put("duplicate_pieces", a.duplicates().size());
        v.put("extra_attempts", a.extraAttempts());
        v.put("faults_run", o.faults().size());
        List<Map<String, Object>> recoveries = new ArrayList<>();
        for (int i = 0; i < o.faults().size(); i++) {
            FaultRecord f = o.faults().get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", f.index() + 1);
            r.put("kind", f.kind().name());
            r.put("target", f.target());
            Long after = a.recoveries().get(i).afterMs();
            if (after != null) r.put("recovered_after_s", after / 1000.0);
            recoveries.add(r);
        }
        v.put("recoveries", recoveries);
        v.put("problems", problems(a));
        v.put("notes", o.notes());
        return v;
    }

    static List<String> problems(AuditReport a) {
        List<String> all = new ArrayList<>();
        a.lost().forEach(p -> all.add("lost: " + p));
        a.stuck().forEach(p -> all.add("stuck: " + p));
        a.refused().forEach(p -> all.add("refused lease: " + p));
        a.duplicates().forEach(p -> all.add("duplicate: " + p));
        return all;
    }

    private static void row(PrintStream out, String what, String value) {
        out.printf(Locale.ROOT, "  %-48s %s%n", what, value);
    }
}
