package dev.spool.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.Probe;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;
import dev.spool.media.verify.Expectations;
import dev.spool.media.verify.LadderVerifier;
import dev.spool.media.verify.VerifyReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What is on disk for one job: whether its output exists, its commit marker, and {@code spool verify --source}. */
final class OutputCheck {
    /** The file a worker writes into an output it committed: {"job_id", "task_id", "lease_id"}. */
    static final String MARKER = ".spool-commit";

    private final FfmpegTools tools;

    OutputCheck(FfmpegTools tools) {
        this.tools = tools;
    }

    /** A directory that holds anything at all is an output someone wrote. */
    static boolean present(Path out) {
        if (!Files.isDirectory(out)) return false;
        try (Stream<Path> entries = Files.list(out)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true;   // there, but unreadable: the verification says what is wrong with it
        }
    }

    /** The lease named by the output's commit marker, or null when there is none (or it names none). */
    static String markerLease(Path out) {
        Path marker = out.resolve(MARKER);
        if (!Files.isRegularFile(marker)) return null;
        try {
            JsonNode json = Wire.JSON.readTree(marker.toFile());
            JsonNode lease = json.path("lease_id");
            return lease.isTextual() && !lease.asText().isBlank() ? lease.asText() : null;
        } catch (IOException e) {
            return null;   // a torn or foreign file proves no lease
        }
    }

    /** Null when the ladder verifies against its source, else what failed. */
    String problem(Path out, Path source) {
        try {
            Expectations e = Expectations.of(new Probe(tools).probe(source), JobMix.HLS_TIME, EncodeOptions.DEFAULT_MASTER_NAME);
            e = new Expectations(e.videoDurationSec(), e.audioDurationSec(), OptionalInt.of(JobMix.HLS_TIME), e.masterName());
            VerifyReport report = new LadderVerifier(new StreamProbe(tools)).verify(out, e);
            if (report.ok()) return null;
            return report.failures().stream().map(c -> c.what() + " (" + c.detail() + ")").collect(Collectors.joining("; "));
        } catch (SpoolError e) {
            return e.getMessage();
        }
    }
}
