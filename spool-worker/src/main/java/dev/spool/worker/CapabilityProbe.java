package dev.spool.worker;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.SpoolError;
import dev.spool.worker.EncoderTrial.Outcome;
import dev.spool.worker.EncoderTrial.Verdict;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out, once at worker start, what this machine is and which encoders really work on it: an
 * encoder is advertised only after a test encode with it succeeded, so a listed but unusable one
 * (NVENC without a driver, VAAPI without a render node) never attracts work it would fail.
 */
public final class CapabilityProbe {
    public static final Duration DEFAULT_TRIAL_TIMEOUT = Duration.ofSeconds(15);
    /** Tried in this order; a name this ffmpeg was not built with is simply not advertised. */
    static final List<String> CANDIDATES = List.of("libx264", "libx265", "libsvtav1", "libvpx-vp9",
            "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_qsv", "hevc_qsv", "av1_qsv",
            "h264_vaapi", "hevc_vaapi", "av1_vaapi", "h264_videotoolbox", "hevc_videotoolbox");
    private static final System.Logger LOG = System.getLogger(CapabilityProbe.class.getName());
    // " V....D libx264   libx264 H.264 / AVC ..." : six flag characters, then the encoder's name
    private static final Pattern ENCODER_LINE = Pattern.compile("^\\s*V[A-Z.]{5}\\s+(\\S+)");

    private final Duration trialTimeout;

    public CapabilityProbe() {
        this(DEFAULT_TRIAL_TIMEOUT);
    }

    CapabilityProbe(Duration trialTimeout) {
        if (trialTimeout == null || trialTimeout.isNegative() || trialTimeout.isZero())
            throw SpoolError.invalid("trialTimeout", "must be positive");
        this.trialTimeout = trialTimeout;
    }

    /** Inspects the host and test-encodes with each candidate encoder; logs why any is not advertised. */
    public Capabilities discover(FfmpegTools tools) {
        long started = System.nanoTime();
        FfmpegBuild build = ffmpegBuild(tools);
        List<Verdict> verdicts = tryEncoders(tools);
        List<String> working = verdicts.stream().filter(Verdict::works).map(Verdict::encoder).toList();
        String gpuType = gpuType(working);
        boolean hasGpu = !gpuType.equals(Capabilities.NO_GPU);
        int cores = Runtime.getRuntime().availableProcessors();
        long memory = memoryBytes();
        Capabilities found = new Capabilities(working, hasGpu, gpuType, Capabilities.maxResolutionFor(cores, memory, hasGpu),
                cpuArch(), cores, memory, os(), build.version(), build.fingerprint());
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        for (Verdict v : verdicts) {
            if (v.works()) continue;
            System.Logger.Level level = switch (v.outcome()) {
                case NOT_BUILT -> System.Logger.Level.DEBUG;
                case NO_DEVICE -> System.Logger.Level.DEBUG;
                default -> System.Logger.Level.WARNING;
            };
            LOG.log(level, () -> v.encoder() + " is not advertised: " + v.reason());
        }
        LOG.log(System.Logger.Level.INFO, () -> "capabilities discovered in " + millis + " ms: " + found);
        return found;
    }

    /**
     * One verdict per candidate, in {@link #CANDIDATES} order. Software encoders are tried side by
     * side; hardware ones one after another, alongside them, since a GPU allows few encoder sessions
     * at once, and a family whose trial hung is not tried again (one timeout, not three).
     */
    List<Verdict> tryEncoders(FfmpegTools tools) {
        Set<String> built = builtEncoders(tools);
        Map<String, Verdict> verdicts = new HashMap<>();
        List<EncoderTrial> software = new ArrayList<>();
        List<EncoderTrial> hardware = new ArrayList<>();
        for (String encoder : CANDIDATES) {
            Optional<HardwareFamily> family = HardwareFamily.of(encoder);
            Optional<String> missing = family.flatMap(HardwareFamily::missingDevice);
            if (!built.contains(encoder)) verdicts.put(encoder, new Verdict(encoder, Outcome.NOT_BUILT, "not built into this ffmpeg"));
            else if (missing.isPresent()) verdicts.put(encoder, new Verdict(encoder, Outcome.NO_DEVICE, missing.get()));
            else if (family.isPresent()) hardware.add(family.get().trial(encoder));
            else software.add(EncoderTrial.plain(encoder));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Verdict>> side = software.stream().map(t -> threads.submit(() -> t.run(tools, trialTimeout))).toList();
            Future<List<Verdict>> inTurn = threads.submit(() -> oneAfterAnother(hardware, tools));
            for (Future<Verdict> f : side) put(verdicts, await(f));
            for (Verdict v : await(inTurn)) put(verdicts, v);
        }
        return CANDIDATES.stream().map(verdicts::get).toList();
    }

    private List<Verdict> oneAfterAnother(List<EncoderTrial> trials, FfmpegTools tools) {
        List<Verdict> verdicts = new ArrayList<>();
        Set<HardwareFamily> hung = EnumSet.noneOf(HardwareFamily.class);
        for (EncoderTrial trial : trials) {
            HardwareFamily family = HardwareFamily.of(trial.encoder()).orElseThrow();
            if (hung.contains(family)) {
                verdicts.add(new Verdict(trial.encoder(), Outcome.TIMED_OUT, "not tried: an earlier " + family + " test encode hung"));
                continue;
            }
            Verdict verdict = trial.run(tools, trialTimeout);
            if (verdict.outcome() == Outcome.TIMED_OUT) hung.add(family);
            verdicts.add(verdict);
        }
        return verdicts;
    }

    /** The encoders this ffmpeg was built with, from {@code ffmpeg -hide_banner -encoders}. */
    static Set<String> builtEncoders(FfmpegTools tools) {
        Set<String> names = new LinkedHashSet<>();
        var result = ToolProcess.run("ffmpeg", tools.ffmpeg(List.of("-hide_banner", "-encoders")), line -> {
            Matcher m = ENCODER_LINE.matcher(line);
            if (m.find() && !m.group(1).equals("=")) names.add(m.group(1));
        });
        if (!result.ok()) throw SpoolError.environment("ffmpeg -encoders failed: " + result.lastError());
        return names;
    }

    /**
     * ffmpeg's version ("8.1.2" from "ffmpeg version 8.1.2 Copyright (c) 2000-2026 the FFmpeg
     * developers") and a fingerprint of everything {@code -version} prints: two builds that print
     * the same configuration and library versions encode the same bits from the same settings.
     */
    record FfmpegBuild(String version, String fingerprint) {}

    static FfmpegBuild ffmpegBuild(FfmpegTools tools) {
        List<String> lines = new ArrayList<>();
        var result = ToolProcess.run("ffmpeg", tools.ffmpeg(List.of("-hide_banner", "-version")), lines::add);
        if (!result.ok() || lines.isEmpty()) throw SpoolError.environment("ffmpeg -version failed: " + result.lastError());
        String[] words = lines.get(0).trim().split("\\s+");
        String version = words.length >= 3 && words[1].equals("version") ? words[2] : lines.get(0).trim();
        return new FfmpegBuild(version, version + "-" + sha256(String.join("\n", lines)).substring(0, 12));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The lesser of the machine's MemTotal and what the JVM sees, which is a container's memory limit when one is set. */
    static long memoryBytes() {
        long machine = memTotal(Path.of("/proc/meminfo"));
        long jvmView = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : 0;
        if (machine > 0 && jvmView > 0) return Math.min(machine, jvmView);
        long either = Math.max(machine, jvmView);
        if (either <= 0) throw SpoolError.environment("cannot tell how much memory this machine has");
        return either;
    }

    /** MemTotal from a /proc/meminfo file, in bytes; 0 when there is none (not Linux). */
    static long memTotal(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                String[] words = line.trim().split("\\s+");   // "MemTotal:  24589412 kB"
                if (words.length >= 2 && words[0].equals("MemTotal:")) return Long.parseLong(words[1]) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static String cpuArch() {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }

    static String os() {
        String name = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) return "linux";
        if (name.startsWith("mac") || name.startsWith("darwin")) return "macos";
        if (name.startsWith("windows")) return "windows";
        return name;
    }

    /** The first family, in declaration order, with a working encoder: NVENC over Quick Sync over VAAPI. */
    private static String gpuType(List<String> working) {
        return working.stream().map(HardwareFamily::of).flatMap(Optional::stream)
                .min(Comparator.naturalOrder()).map(HardwareFamily::gpuType).orElse(Capabilities.NO_GPU);
    }

    private static void put(Map<String, Verdict> verdicts, Verdict v) {
        verdicts.put(v.encoder(), v);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpoolError.interrupted("capability discovery was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw SpoolError.environment("capability discovery failed: " + e.getCause());
        }
    }
}
