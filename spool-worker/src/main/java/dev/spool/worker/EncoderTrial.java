package dev.spool.worker;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One test encode: a few generated frames through one encoder into the null muxer, with the device
 * setup a hardware encoder needs. Being listed by {@code ffmpeg -encoders} proves only that the
 * encoder was compiled in; this proves that the driver, the device and the libraries are there too.
 *
 * @param inputOptions  options before {@code -i}: hardware device creation
 * @param outputOptions options before {@code -c:v}: the upload filter a hardware encoder needs
 */
record EncoderTrial(String encoder, List<String> inputOptions, List<String> outputOptions) {
    static final String TEST_SOURCE = "testsrc2=size=256x144:rate=30";
    static final int TEST_FRAMES = 5;
    private static final int STDERR_LINES_KEPT = 20;

    /** How a candidate encoder fared. */
    enum Outcome { WORKS, NOT_BUILT, NO_DEVICE, FAILED, TIMED_OUT }

    /** One candidate's outcome, with the reason in words when it is not advertised. */
    record Verdict(String encoder, Outcome outcome, String reason) {
        boolean works() { return outcome == Outcome.WORKS; }
    }

    EncoderTrial {
        if (encoder == null || encoder.isBlank()) throw SpoolError.invalid("encoder", "is required");
        inputOptions = List.copyOf(inputOptions);
        outputOptions = List.copyOf(outputOptions);
    }

    /** A trial for an encoder that needs no device: the software ones, NVENC and VideoToolbox. */
    static EncoderTrial plain(String encoder) {
        return new EncoderTrial(encoder, List.of(), List.of());
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"));
        args.addAll(inputOptions);
        args.addAll(List.of("-f", "lavfi", "-i", TEST_SOURCE, "-frames:v", String.valueOf(TEST_FRAMES)));
        args.addAll(outputOptions);
        args.addAll(List.of("-c:v", encoder, "-f", "null", "-"));
        return args;
    }

    /**
     * Runs the encode, killing it once {@code timeout} has passed: a wedged GPU driver can hang
     * ffmpeg forever. Interrupting the caller kills it too.
     */
    Verdict run(FfmpegTools tools, Duration timeout) {
        ProcessBuilder builder = tools.ffmpeg(arguments())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // SVT-AV1 prints its banner straight to stderr whatever -loglevel says; 1 keeps only its errors
        builder.environment().put("SVT_LOG", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Verdict(encoder, Outcome.FAILED, "ffmpeg did not start: " + e.getMessage());
        }
        ExitCleanup.track(process);
        List<String> stderr = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> keepFirstLines(process, stderr));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Verdict(encoder, Outcome.TIMED_OUT, "test encode still running after " + timeout.toMillis() + " ms");
            }
            reader.join();
            if (process.exitValue() == 0) return new Verdict(encoder, Outcome.WORKS, "");
            return new Verdict(encoder, Outcome.FAILED, firstError(stderr, process.exitValue()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("test encode with " + encoder + " was interrupted");
        } finally {
            if (process.isAlive()) kill(process);
            ExitCleanup.untrack(process);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void keepFirstLines(Process process, List<String> lines) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (lines) {
                    if (lines.size() < STDERR_LINES_KEPT && !line.isBlank()) lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process was killed; its stderr went with it
        }
    }

    /** ffmpeg names the cause first ("Cannot load libcuda.so.1") and its consequences after. */
    private static String firstError(List<String> stderr, int exitCode) {
        synchronized (stderr) {
            if (stderr.isEmpty()) return "ffmpeg exited with " + exitCode + " and said nothing";
            return stderr.get(0).replaceFirst("^(\\[[^\\]]*\\] *)+", "").strip();
        }
    }
}
