package dev.spool.cli;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.SampleMedia;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Media generated once per test JVM with lavfi, small and short so the suite stays fast. */
final class TestMedia {
    static final FfmpegTools TOOLS = FfmpegTools.locate(null);
    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();
    private static final Path DIR = createDir();

    private TestMedia() {}

    static synchronized Path get(String name, SampleMedia.Spec spec) {
        return MADE.computeIfAbsent(name, n -> SampleMedia.generate(TOOLS, spec, DIR.resolve(n)));
    }

    /** 320x180, 30 fps, stereo: the everyday test clip. */
    static Path small(double seconds) {
        return get("small-" + seconds + ".mp4", SampleMedia.Spec.video(320, 180, 30, seconds));
    }

    private static Path createDir() {
        try {
            Path dir = Files.createTempDirectory("spool-test-media-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
