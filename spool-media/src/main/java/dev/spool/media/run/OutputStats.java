package dev.spool.media.run;

import dev.spool.model.encode.EncodeOptions;
import dev.spool.media.plan.LadderPlan;
import dev.spool.media.hls.StreamFacts;
import dev.spool.media.hls.StreamProbe;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a finished output holds, as seed 000's job result states it: the video frames of one
 * rendition (every rung has them all), the media duration, and the bytes of every file written.
 * Read back from the output itself, not taken from the plan.
 */
public record OutputStats(long framesEncoded, double durationSeconds, long outputSizeBytes) {
    public OutputStats {
        if (framesEncoded < 0) throw SpoolError.invalid("frames_encoded", "must not be negative");
        if (durationSeconds < 0) throw SpoolError.invalid("duration_seconds", "must not be negative");
        if (outputSizeBytes < 0) throw SpoolError.invalid("output_size_bytes", "must not be negative");
    }

    /** Measures the ladder (or MP4 files) of {@code plan} in {@code dir}; an audio-only output has no frames. */
    public static OutputStats measure(LadderPlan plan, Path dir, StreamProbe probe) {
        boolean hls = plan.options().format() == EncodeOptions.OutputFormat.HLS;
        long bytes = bytes(dir);
        if (plan.renditions().isEmpty()) {
            Path audio = hls ? dir.resolve(LadderPlan.AUDIO_DIR).resolve(LadderPlan.MEDIA_PLAYLIST) : dir.resolve("audio.m4a");
            return new OutputStats(0, round(probe.first(audio, "audio").duration()), bytes);
        }
        String rung = plan.renditions().get(0).name();
        Path main = hls ? dir.resolve(rung).resolve(LadderPlan.MEDIA_PLAYLIST) : dir.resolve(rung + ".mp4");
        StreamFacts video = probe.first(main, "video");
        return new OutputStats(video.packets().size(), round(video.duration()), bytes);
    }

    /** Every file under {@code dir} but Spool's own markers (dot files), as a client fetching it gets them. */
    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !hidden(dir.relativize(f))).mapToLong(OutputStats::size).sum();
        } catch (IOException e) {
            throw SpoolError.verification(dir + " cannot be measured: " + e.getMessage());
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw SpoolError.verification(file + " cannot be measured: " + e.getMessage());
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
