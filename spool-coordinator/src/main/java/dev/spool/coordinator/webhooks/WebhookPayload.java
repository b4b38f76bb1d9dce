package dev.spool.coordinator.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spool.coordinator.queue.Event;
import dev.spool.coordinator.queue.Job;
import dev.spool.coordinator.queue.JobResult;
import dev.spool.model.protocol.Wire;

import java.util.Map;

/**
 * A webhook's body. The default ({@code json}) is seed 000's payload ({@code event}, {@code job_id},
 * {@code timestamp}, {@code result {frames_encoded, duration_seconds, output_size_bytes}}) with the
 * job's state, labels, outputs, and on failure its error and attempts. The presets shape one line of
 * text for a home user's chat or phone: Discord's {@code content}, Slack's {@code text}, ntfy's plain body.
 */
final class WebhookPayload {
    private WebhookPayload() {}

    static String body(String format, String name, Event event, Job job, int attempts) {
        return switch (format) {
            case "discord" -> Wire.JSON.createObjectNode().put("content", line(name, event, job)).toString();
            case "slack" -> Wire.JSON.createObjectNode().put("text", line(name, event, job)).toString();
            case "ntfy" -> line(name, event, job);
            default -> seed(name, event, job, attempts).toString();
        };
    }

    /** The content type each format is sent with. */
    static String contentType(String format) {
        return format.equals("ntfy") ? "text/plain; charset=utf-8" : "application/json";
    }

    private static ObjectNode seed(String name, Event event, Job job, int attempts) {
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("event", name).put("job_id", job.id()).put("timestamp", event.at().toString()).put("state", job.state().name());
        Map<String, String> labels = job.spec().labels();
        if (labels != null && !labels.isEmpty()) {
            ObjectNode l = body.putObject("labels");
            labels.forEach(l::put);
            if (labels.containsKey("movie_id")) body.put("movie_id", labels.get("movie_id"));
        }
        if (name.equals("progress")) {
            String tenth = event.detail() == null ? "" : event.detail().replaceAll("[^0-9]", "");
            body.put("progress", tenth.isEmpty() ? (int) job.progress() : Integer.parseInt(tenth));   // "30 %" as TaskLeases writes it
        }
        if (name.equals("completed")) {
            JobResult r = job.result();
            ObjectNode result = body.putObject("result");
            if (r != null && r.framesEncoded() != null) result.put("frames_encoded", r.framesEncoded());
            if (r != null && r.durationSeconds() != null) result.put("duration_seconds", r.durationSeconds());
            if (r != null && r.outputSizeBytes() != null) result.put("output_size_bytes", r.outputSizeBytes());
            if (job.manifestUrl() != null) body.putObject("outputs").put("manifest_url", job.manifestUrl());
        }
        if (name.equals("failed") || name.equals("escalated")) {
            if (job.error() != null) body.put("error", job.error());
            body.put("attempts", attempts);
            if (job.needsAttention()) body.put("needs_attention", job.attention());
        }
        return body;
    }

    private static String line(String name, Event event, Job job) {
        Map<String, String> labels = job.spec().labels();
        String movie = labels != null && labels.containsKey("movie_id") ? " (movie_id " + labels.get("movie_id") + ")" : "";
        String tail = switch (name) {
            case "completed" -> job.manifestUrl() != null ? ": " + job.manifestUrl() : "";
            case "failed", "escalated" -> job.error() != null ? ": " + job.error() : "";
            case "progress" -> " " + event.detail();
            default -> "";
        };
        return "Spool: job " + job.id() + movie + " " + (name.equals("escalated") ? "needs a person" : name.equals("progress") ? "at" : name) + tail;
    }
}
