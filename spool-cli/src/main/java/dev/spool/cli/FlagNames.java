package dev.spool.cli;

import dev.spool.model.SpoolError;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;

/**
 * Shows an error about a request field in the words the user typed: {@code hls_time must be...}
 * becomes {@code --hls-time must be...} when the command that ran has that flag. The API, workers
 * and {@code --json} keep the field names; only the line printed for a person changes.
 */
final class FlagNames {
    /** Field (as SpoolError names it) to the flag of spool run / spool submit / spool tokens create that sets it. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("hls_time", "--hls-time"),
            Map.entry("hls_settings.segment_time", "--hls-time"),
            Map.entry("segment_format", "--segment-format"),
            Map.entry("master_playlist_name", "--master-name"),
            Map.entry("hls_settings.master_playlist_name", "--master-name"),
            Map.entry("format", "--format"),
            Map.entry("codec", "--codec"),
            Map.entry("outputs[].codec", "--codec"),
            Map.entry("outputs[].resolution", "--renditions"),
            Map.entry("renditions", "--renditions"),
            Map.entry("preset", "--preset"),
            Map.entry("threads", "--threads"),
            Map.entry("workers", "--workers"),
            Map.entry("piece_seconds", "--piece-seconds"),
            Map.entry("priority", "--priority"),
            Map.entry("labels", "--label"),
            Map.entry("idempotency_key", "--idempotency-key"),
            Map.entry("output", "--output"),
            Map.entry("coordinator", "--coordinator"),
            Map.entry("webhook.url", "--webhook"),
            Map.entry("webhook.secret", "--webhook-secret"),
            Map.entry("webhook.events", "--webhook-events"),
            Map.entry("webhook.format", "--webhook-format"),

            Map.entry("role", "--role"),
            Map.entry("expires_in", "--expires"));

    private FlagNames() {}

    /** The error with its field shown as the command's flag, or the error itself when there is none. */
    static Exception inTermsOf(CommandSpec command, Exception e) {
        if (!(e instanceof SpoolError error) || error.field() == null) return e;
        String field = error.field();
        boolean label = field.startsWith("labels.");   // labels.K: one label's value
        String flag = FLAGS.get(label ? "labels" : field);
        String message = error.getMessage();
        if (flag == null || command.findOption(flag) == null || message == null || !message.startsWith(field + " "))
            return e;
        String shown = label ? flag + " " + field.substring("labels.".length()) : flag;
        return new SpoolError(error.code(), field, shown + message.substring(field.length()), error);
    }
}
