package dev.spool.cli;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.probe.Probe;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;
import dev.spool.media.verify.Expectations;
import dev.spool.media.verify.LadderVerifier;
import dev.spool.media.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code spool verify OUT}: checks a ladder as a player would experience it. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a ladder or MP4 output that spool run or a worker wrote; exit 6 when a check fails.",
                "Playlists parse, durations match, every segment starts on a keyframe, renditions are aligned,",
                "audio and video end together."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUT", description = "Output directory of spool run.")
    Path dir;

    @Option(names = "--source", paramLabel = "INPUT", description = "Compare durations with this source (default: compare renditions with each other).")
    Path source;

    @Option(names = "--hls-time", paramLabel = "SECONDS", description = "Expected segment length (default: each media playlist's EXT-X-TARGETDURATION).")
    Integer hlsTime;

    @Option(names = "--master-name", defaultValue = EncodeOptions.DEFAULT_MASTER_NAME, paramLabel = "NAME", description = "Master playlist file name. Default: ${DEFAULT-VALUE}.")
    String masterName;

    @Option(names = "--json", description = "Print the checks as one JSON object.")
    boolean json;

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg to use instead of the bundled one.")
    Path ffmpeg;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) throw SpoolError.invalid("OUT", "is not a directory: " + dir);
        if (hlsTime != null && hlsTime < 1) throw SpoolError.invalid("--hls-time", "must be 1 or more seconds, not " + hlsTime);
        FfmpegTools tools = FfmpegTools.locate(ffmpeg);
        OptionalInt segment = hlsTime == null ? OptionalInt.empty() : OptionalInt.of(hlsTime);
        Expectations expect = source != null
                ? Expectations.of(new Probe(tools).probe(source), segment, masterName)
                : Expectations.standalone(segment, masterName);
        VerifyReport report = new LadderVerifier(new StreamProbe(tools)).verify(dir, expect);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ok", report.ok());
            result.put("checks", report.checks());
            System.out.println(Json.line(result));
        } else {
            for (VerifyReport.Check c : report.checks())
                System.out.println((c.passed() ? "  ok    " : "  FAIL  ") + c.what() + " (" + c.detail() + ")");
            System.out.println(report.ok() ? "verified: all " + report.checks().size() + " checks passed"
                    : "verification failed: " + report.failures().size() + " of " + report.checks().size() + " checks");
        }
        return report.ok() ? 0 : SpoolError.Code.VERIFICATION.exitCode();
    }
}
