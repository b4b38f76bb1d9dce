package dev.spool.cli;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.SampleMedia;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Generated sample and benchmark clips, kept between runs in Spool's cache (…/spool/samples). */
final class SampleCache {
    private SampleCache() {}

    /** The clip of this name, generated on first use and reused after. */
    static Path clip(FfmpegTools tools, String name, SampleMedia.Spec spec, Consumer<String> announce) {
        Path clip = FfmpegTools.cacheRoot().resolve("samples").resolve(name);
        if (Files.exists(clip)) return clip;
        clip.getParent().toFile().mkdirs();
        announce.accept("generating " + clip + " ...");
        return SampleMedia.generate(tools, spec, clip);
    }

    /** A 1080p30 clip with stereo audio of the given length, for the benchmarks. */
    static Path benchmarkClip(FfmpegTools tools, int seconds) {
        return clip(tools, "bench-1080p30-" + seconds + "s.mp4", SampleMedia.Spec.video(1920, 1080, 30, seconds),
                System.out::println);
    }
}
