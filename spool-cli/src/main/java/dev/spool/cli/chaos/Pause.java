package dev.spool.cli.chaos;

import dev.spool.model.SpoolError;

import java.time.Duration;

/** Sleeps between polls of a condition; an interrupt (Ctrl-C) ends the campaign as interrupted. */
final class Pause {
    private Pause() {}

    static void quietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("interrupted");
        }
    }
}
