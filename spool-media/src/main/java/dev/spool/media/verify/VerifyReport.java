package dev.spool.media.verify;

import dev.spool.model.SpoolError;

import java.util.ArrayList;
import java.util.List;

/** The outcome of verifying an output: each check that ran, and what failed. */
public final class VerifyReport {
    /** One check: what was checked and, when it failed, why. */
    public record Check(String what, boolean passed, String detail) {}

    private final List<Check> checks = new ArrayList<>();

    void pass(String what, String detail) { checks.add(new Check(what, true, detail)); }

    void fail(String what, String detail) { checks.add(new Check(what, false, detail)); }

    void check(boolean passed, String what, String detail) {
        checks.add(new Check(what, passed, detail));
    }

    public List<Check> checks() { return List.copyOf(checks); }

    public List<Check> failures() { return checks.stream().filter(c -> !c.passed()).toList(); }

    public boolean ok() { return failures().isEmpty(); }

    /** Throws a VERIFICATION error listing every failed check. */
    public void requireOk() {
        if (ok()) return;
        StringBuilder why = new StringBuilder();
        for (Check c : failures()) {
            if (!why.isEmpty()) why.append("; ");
            why.append(c.what()).append(": ").append(c.detail());
        }
        throw SpoolError.verification(why.toString());
    }
}
