package dev.spool.media.ffmpeg;

import dev.spool.model.SpoolError;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ffmpeg and ffprobe executables Spool runs, and how to start them. The bundled build is the
 * default so that every worker encodes with the same version; {@code --ffmpeg PATH} or
 * {@code SPOOL_FFMPEG} chooses another (a file, or a directory holding ffmpeg and ffprobe).
 * {@code stallTimeout}: how long an encode may make no progress before it is killed ({@link StallWatch}).
 */
public record FfmpegTools(Path ffmpeg, Path ffprobe, Optional<Path> libraryDir, String origin, Duration stallTimeout) {
    public static final String ENV_OVERRIDE = "SPOOL_FFMPEG";

    public FfmpegTools {
        if (ffmpeg == null || ffprobe == null) throw new IllegalArgumentException("ffmpeg and ffprobe are required");
        libraryDir = libraryDir == null ? Optional.empty() : libraryDir;
        stallTimeout = stallTimeout == null ? StallWatch.DEFAULT_TIMEOUT : stallTimeout;
    }

    public FfmpegTools(Path ffmpeg, Path ffprobe, Optional<Path> libraryDir, String origin) {
        this(ffmpeg, ffprobe, libraryDir, origin, StallWatch.DEFAULT_TIMEOUT);
    }

    /** The same tools, with encodes killed after {@code timeout} without progress. */
    public FfmpegTools withStallTimeout(Duration timeout) {
        return new FfmpegTools(ffmpeg, ffprobe, libraryDir, origin, timeout);
    }

    /** A watch for one encode run with {@code -progress}. */
    public StallWatch stallWatch() {
        return new StallWatch(stallTimeout);
    }

    /** Finds the tools: an explicit path first, then SPOOL_FFMPEG, then the bundled build. */
    public static FfmpegTools locate(Path explicit) {
        if (explicit != null) return fromUserPath(explicit, "--ffmpeg");
        String env = System.getenv(ENV_OVERRIDE);
        if (env != null && !env.isBlank()) return fromUserPath(Path.of(env), ENV_OVERRIDE);
        Optional<FfmpegPlatform> platform = FfmpegPlatform.current();
        Optional<Path> bundled = platform.flatMap(BundledFfmpeg::directory);
        if (bundled.isPresent()) {
            Path dir = bundled.get();
            return new FfmpegTools(dir.resolve(platform.get().executable("ffmpeg")), dir.resolve(platform.get().executable("ffprobe")),
                    Optional.of(dir), "bundled");
        }
        Optional<Path> onPath = findOnPath("ffmpeg");
        if (onPath.isPresent()) return fromUserPath(onPath.get(), "PATH");
        throw SpoolError.environment("no bundled ffmpeg for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + " and none on PATH; install ffmpeg and pass --ffmpeg PATH or set "
                + ENV_OVERRIDE);
    }

    private static FfmpegTools fromUserPath(Path path, String source) {
        Path ffmpeg = Files.isDirectory(path) ? path.resolve("ffmpeg") : path;
        if (!Files.isRegularFile(ffmpeg)) throw SpoolError.invalid(source, "names no ffmpeg executable: " + path);
        if (!Files.isExecutable(ffmpeg)) throw SpoolError.invalid(source, "is not executable: " + ffmpeg);
        String name = ffmpeg.getFileName().toString();
        Path ffprobe = ffmpeg.resolveSibling(name.replace("ffmpeg", "ffprobe"));
        if (!Files.isExecutable(ffprobe)) {
            ffprobe = findOnPath("ffprobe").orElseThrow(() -> SpoolError.invalid(source,
                    "has no ffprobe beside it and none is on PATH: " + ffmpeg));
        }
        return new FfmpegTools(ffmpeg, ffprobe, Optional.empty(), source);
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Spool's cache directory ($XDG_CACHE_HOME/spool or ~/.cache/spool): unpacked ffmpeg, sample clips. */
    public static Path cacheRoot() {
        return BundledFfmpeg.cacheRoot();
    }

    /** A process builder for ffmpeg with the given arguments (never a shell). */
    public ProcessBuilder ffmpeg(List<String> args) {
        return builder(ffmpeg, args);
    }

    /** A process builder for ffprobe with the given arguments (never a shell). */
    public ProcessBuilder ffprobe(List<String> args) {
        return builder(ffprobe, args);
    }

    private ProcessBuilder builder(Path tool, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(tool.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        libraryDir.ifPresent(dir -> prependLibraryPath(pb.environment(), dir));
        return pb;
    }

    private static void prependLibraryPath(Map<String, String> env, Path dir) {
        String variable = FfmpegPlatform.current().map(FfmpegPlatform::libraryPath).orElse("LD_LIBRARY_PATH");
        String current = env.get(variable);
        env.put(variable, current == null || current.isBlank() ? dir.toString() : dir + File.pathSeparator + current);
    }
}
