package dev.spool.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The no-flag {@code spool verify OUT} that every output a test makes on local disk must pass. */
final class Verified {
    private Verified() {}

    /** Runs {@code spool verify OUT} as a user would and fails the test, with what it printed, unless it exits 0. */
    static void output(Path... outs) {
        for (Path out : outs) passes(out);
    }

    private static void passes(Path out) {
        SpoolProcess.Result r;
        try {
            r = SpoolProcess.run("verify", out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while verifying " + out, e);
        }
        assertThat(r.exitCode()).as("spool verify %s printed:%n%s%s", out, r.stdout(), r.stderr()).isZero();
    }
}
