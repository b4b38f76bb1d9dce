package dev.spool.cli;

import dev.spool.model.protocol.Api;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.job.HlsSettings;
import dev.spool.model.job.JobSpec;
import dev.spool.model.job.OutputSpec;
import dev.spool.model.job.Priority;
import dev.spool.model.SpoolError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code spool submit INPUT --output DEST}: queue a job on the coordinator. */
@Command(name = "submit", defaultValueProvider = ConfigDefaults.class, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a job. INPUT and DEST are paths as the workers see them (a shared disk).",
                "Prints the job id; with --wait, follows it to the end (exit 0 COMPLETED, 1 otherwise)."})
final class SubmitCommand implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Parameters(paramLabel = "INPUT") String input;

    @Option(names = "--output", required = true, paramLabel = "DEST", description = "Directory of the ladder.") String output;

    @Option(names = "--priority", description = "HIGH, NORMAL or LOW. Default: ${DEFAULT-VALUE}.") String priority;

    @Option(names = "--label", paramLabel = "K=V", description = "A label (repeatable), e.g. movie_id=456.") List<String> labels = List.of();

    @Option(names = "--renditions", split = ",", paramLabel = "RUNG", description = "Rungs, e.g. 720p,480p (default: all that fit).") List<String> renditions = List.of();

    @Option(names = "--codec", description = "h264, hevc or av1.") String codec;

    @Option(names = "--hls-time", paramLabel = "SECONDS", description = "HLS segment length.") Integer hlsTime;

    @Option(names = "--format", description = "hls or mp4.") String format;

    @Option(names = "--segment-format", paramLabel = "fmp4|ts", description = "fmp4 (CMAF, the default) or ts; HLS only.") String segmentFormat;

    @Option(names = "--audio-codec", paramLabel = "aac|opus", description = "aac (AAC-LC, the default) or opus (fMP4 segments and MP4 files only).") String audioCodec;

    @Option(names = "--audio-bitrate", paramLabel = "RATE", description = "Audio bitrate, 32k to 320k. Default: 128k.") String audioBitrate;

    @Option(names = "--video-bitrate", paramLabel = "RATE", description = "Cap every rung's video bitrate at this, e.g. 3M.") String videoBitrate;

    @Option(names = "--piece-seconds", paramLabel = "SECONDS",
            description = "Cut the video into pieces this long for several workers (whole HLS segments; 0: never split). Default: 30.")
    Integer pieceSeconds;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Submitting again with the same key returns the same job.") String idempotencyKey;

    @Option(names = "--webhook", paramLabel = "URL", description = "Tell this endpoint about the job (see --webhook-events).") String webhook;

    @Option(names = "--webhook-secret", paramLabel = "SECRET", description = "Sign the --webhook calls with this secret (Standard Webhooks; whsec_... or any string).") String webhookSecret;

    @Option(names = "--webhook-events", split = ",", paramLabel = "LIST", description = "Events for --webhook: queued,started,completed,failed,cancelled,escalated. Default: completed,failed.") List<String> webhookEvents;

    @Option(names = "--webhook-format", paramLabel = "json|discord|slack|ntfy", description = "Body of the --webhook calls. Default: json.") String webhookFormat;

    @Option(names = "--wait", description = "Follow the job until it ends.") boolean await;

    @Option(names = "--upload", description = "Send the input file to the coordinator first, for workers that cannot see this machine's "
            + "disk (the default when the output is spool://...).", negatable = true)
    Boolean upload;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            if (eq <= 0) throw SpoolError.invalid("--label", "must be name=value, not '" + l + "'");
            labelMap.put(l.substring(0, eq), l.substring(eq + 1));
        }
        EncodingFlags.checkCombination(audioCodec, segmentFormat, format);
        EncodingFlags.audio(audioCodec, audioBitrate);   // each flag checked under its own name before the spec is built
        EncodingFlags.videoCap(videoBitrate);
        List<OutputSpec> outputs = renditions.stream().map(r -> new OutputSpec(r, null, codec, null)).toList();
        if (outputs.isEmpty() && codec != null) throw SpoolError.invalid("--codec", "needs --renditions as well");
        String source = shouldUpload() ? uploaded() : input;
        JobSpec spec = new JobSpec(source, output, outputs, new HlsSettings(null, hlsTime), format, segmentFormat,
                Priority.parse(priority), labelMap, webhook(), idempotencyKey, pieceSeconds, videoBitrate, audioCodec, audioBitrate);
        JsonNode reply = client.api().call("POST", Api.JOBS, spec, ClientCommands.TIMEOUT);
        String id = reply.path("job_id").asText();
        if (client.json && !await) ClientCommands.print(reply);
        else if (!client.json) System.out.println(id);
        return await ? WaitCommand.follow(client, id) : 0;
    }

    private dev.spool.model.job.WebhookSpec webhook() {
        if (webhook == null) {
            if (webhookSecret != null || webhookEvents != null || webhookFormat != null)
                throw SpoolError.invalid("--webhook", "is needed by --webhook-secret, --webhook-events and --webhook-format");
            return null;
        }
        return new dev.spool.model.job.WebhookSpec(webhook, webhookSecret, webhookEvents, webhookFormat);
    }

    /** A local file goes to the coordinator when asked, or when the result stays there (spool://) too. */
    private boolean shouldUpload() {
        boolean local = java.nio.file.Files.isRegularFile(java.nio.file.Path.of(input));
        if (upload != null) {
            if (upload && !local) throw SpoolError.input(input, "is not a file on this machine; --upload sends local files");
            return upload;
        }
        return local && output != null && output.startsWith("spool://");
    }

    /** Uploads the input to {@code spool://uploads/RANDOM/NAME} and returns that location. */
    private String uploaded() {
        java.nio.file.Path file = java.nio.file.Path.of(input);
        String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
        var at = dev.spool.model.storage.ObjectLocation.parse("spool://uploads/" + java.util.UUID.randomUUID().toString().substring(0, 12)
                + "/" + (name.isEmpty() ? "input" : name)).orElseThrow();
        var files = client.files();   // checks the token before saying anything
        if (!client.json) System.err.println("spool: uploading " + input + " to the coordinator as " + at);
        files.upload(file, at, note -> System.err.println("spool: " + note));
        return at.toString();
    }
}
