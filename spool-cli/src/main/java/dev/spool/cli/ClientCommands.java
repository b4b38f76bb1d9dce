package dev.spool.cli;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.protocol.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The client commands that only read or change one thing: status, cancel, retry, jobs, workers. */
final class ClientCommands {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ClientCommands() {}

    static void print(JsonNode json) {
        try {
            System.out.println(Wire.JSON.writeValueAsString(json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String jobPath(String id) {
        return Api.job(dev.spool.model.protocol.JobIds.check("JOB_ID", id));
    }

    /** How a job that needs a person (seed 002's escalation) is marked in listings. */
    static final String ATTENTION = "[needs attention]";

    static String line(JsonNode job) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s  %-9s %5.1f%%", job.path("job_id").asText(),
                job.path("state").asText(), job.path("progress").asDouble()));
        if (job.path("needs_attention").asBoolean()) s.append("  ").append(ATTENTION);
        if (job.path("state").asText().equals("RUNNING")) {
            // only the figures there are: a job just leased, or between its steps, has no rate yet
            String figures = ProgressText.figures(job.path("fps").asDouble(), job.path("speed").asDouble(), job.path("eta_sec").asLong(-1));
            if (!figures.isEmpty()) s.append("  ").append(figures);
        }
        s.append("  ").append(job.path("input").asText());
        if (job.hasNonNull("error")) s.append("  error: ").append(job.path("error").asText());
        if (job.path("outputs").hasNonNull("manifest_url")) s.append("  -> ").append(job.path("outputs").path("manifest_url").asText());
        String result = ProgressText.result(job.path("result"));
        if (!result.isEmpty()) s.append("  (").append(result).append(")");
        return s.toString();
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a job: state, progress, tasks, events.")
    static final class Status implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "JOB_ID") String id;

        @Override
        public Integer call() {
            JsonNode job = client.api().call("GET", jobPath(id), null, TIMEOUT);
            if (client.json) {
                print(job);
                return 0;
            }
            System.out.println(line(job));
            if (job.path("needs_attention").asBoolean())
                System.out.println("  needs attention: " + job.path("attention_reason").asText() + " (spool retry " + id + " runs it again)");
            // one line per task: for a split job, the per-piece timeline (who, how often, how long)
            for (JsonNode t : inRunOrder(job.path("tasks"))) {
                String kind = t.path("kind").asText() + (t.has("piece") ? " " + t.path("piece").asInt() : "");
                String running = ProgressText.figures(t.path("fps").asDouble(), t.path("speed").asDouble(), -1);
                System.out.printf(Locale.ROOT, "  %-15s %-9s worker %-16s attempts %d  %5.1f%%%s%s%s%n", kind,
                        t.path("state").asText(), t.path("worker").asText("-"), t.path("attempts").asInt(),
                        t.path("progress").asDouble(), t.has("wall_ms") ? String.format(Locale.ROOT, "  %.1f s", t.path("wall_ms").asLong() / 1000.0) : "",
                        running.isEmpty() ? "" : "  " + running,
                        t.hasNonNull("last_error") ? "  last error: " + t.path("last_error").asText() : "");
            }
            for (JsonNode e : job.path("events"))
                System.out.printf("  %s %-14s %s%s%n", e.path("at").asText(), e.path("type").asText(),
                        e.hasNonNull("worker") ? "[" + e.path("worker").asText() + "] " : "", e.path("detail").asText(""));
            for (JsonNode w : job.path("webhooks")) System.out.println("  webhook " + WebhooksCommand.line(w));
            return 0;
        }
    }

    /** Probe, transcode, pieces by index, audio, package: as the coordinator lists them, even if an older one did not. */
    static java.util.List<JsonNode> inRunOrder(JsonNode tasks) {
        java.util.List<String> kinds = java.util.List.of("probe", "transcode", "encode-video", "encode-audio", "package");
        java.util.List<JsonNode> sorted = new java.util.ArrayList<>();
        tasks.forEach(sorted::add);
        sorted.sort(java.util.Comparator.<JsonNode>comparingInt(t -> {
            int rank = kinds.indexOf(t.path("kind").asText());
            return rank < 0 ? kinds.size() : rank;
        }).thenComparingInt(t -> t.path("piece").asInt(-1)));   // a stable sort: the rest keep the coordinator's order
        return sorted;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job; its worker stops at its next sync.")
    static final class Cancel implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "JOB_ID") String id;

        @Override
        public Integer call() {
            return jobAction(client, id, "cancel");
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Run a FAILED or CANCELLED job again; the pieces it finished are kept, only the rest is encoded.")
    static final class Retry implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "JOB_ID") String id;

        @Override
        public Integer call() {
            return jobAction(client, id, "retry");
        }
    }

    /** POST /api/v1/jobs/ID/ACTION, then the job's new state (or the reply, with --json). */
    private static int jobAction(ClientOptions client, String id, String action) {
        JsonNode reply = client.api().call("POST", jobPath(id) + "/" + action, null, TIMEOUT);
        if (client.json) print(reply);
        else System.out.println(id + " " + reply.path("state").asText());
        return 0;
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a job's result kept by the coordinator (output spool://...) into a new directory.")
    static final class Fetch implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(index = "0", paramLabel = "JOB_ID") String id;
        @Parameters(index = "1", paramLabel = "OUTDIR") java.nio.file.Path out;
        @picocli.CommandLine.Option(names = "--force", description = "Replace OUTDIR if it holds an earlier ladder.") boolean force;

        @Override
        public Integer call() {
            JsonNode job = client.api().call("GET", jobPath(id), null, TIMEOUT);
            if (!job.path("state").asText().equals("COMPLETED"))
                throw new dev.spool.model.SpoolError(dev.spool.model.SpoolError.Code.CONFLICT, "job_id", "job " + id + " is "
                        + job.path("state").asText() + "; only a COMPLETED job has a result to fetch");
            var location = dev.spool.model.storage.ObjectLocation.parse(job.path("output").asText()).filter(dev.spool.model.storage.ObjectLocation::onCoordinator)
                    .orElseThrow(() -> dev.spool.model.SpoolError.invalid("JOB_ID", "job " + id + " wrote to " + job.path("output").asText()
                            + ", not to the coordinator (spool://); fetch it from there"));
            var files = client.files();
            String root = location.key() + "/";
            try (var staged = dev.spool.media.commit.StagedOutput.create(out, force)) {
                int count = 0;
                for (var o : files.list(location)) {
                    if (!o.key().startsWith(root)) throw dev.spool.model.SpoolError.storage("the coordinator listed " + o + ", which is not under " + location);
                    String rel = o.key().substring(root.length());
                    if (rel.startsWith(".")) continue;   // the ladder's marker, not part of it
                    java.nio.file.Path to = staged.directory().resolve(rel).normalize();
                    if (!to.startsWith(staged.directory())) throw dev.spool.model.SpoolError.storage(o + " would land outside " + out);
                    files.download(o, to, note -> System.err.println("spool: " + note));
                    count++;
                }
                staged.commit();
                if (client.json) System.out.println("{\"job_id\":\"" + id + "\",\"files\":" + count + ",\"out\":\"" + out + "\"}");
                else System.out.println(count + " files of " + location + " -> " + out);
            }
            return 0;
        }
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    static final class Jobs implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Option(names = "--state", description = "QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED.") String state;
        @Option(names = "--label", paramLabel = "K=V", description = "Only jobs with this label.") String label;
        @Option(names = "--limit", defaultValue = "50") int limit;
        @Option(names = "--needs-attention", description = "Only jobs that need a person: FAILED with their retries used up (cleared by retry).")
        boolean needsAttention;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder(Api.JOBS + "?limit=" + limit);
            if (state != null) q.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
            if (label != null) q.append("&label=").append(URLEncoder.encode(label, StandardCharsets.UTF_8));
            if (needsAttention) q.append("&needs_attention=true");
            JsonNode page = client.api().call("GET", q.toString(), null, TIMEOUT);
            if (client.json) print(page);
            else for (JsonNode j : page.path("jobs")) System.out.println(line(j));
            return 0;
        }
    }

    @Command(name = "workers", mixinStandardHelpOptions = true, description = "List workers: status, current job, capabilities.")
    static final class Workers implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            JsonNode reply = client.api().call("GET", Api.WORKERS, null, TIMEOUT);
            if (client.json) {
                print(reply);
                return 0;
            }
            for (JsonNode w : reply.path("workers"))
                System.out.printf("%-20s %-8s job %-30s last seen %s  encoders %s%n", w.path("worker_id").asText(),
                        w.path("status").asText(), w.path("current_job_id").asText("-"), w.path("last_seen").asText(),
                        w.path("capabilities").path("supported_codecs"));
            return 0;
        }
    }
}
