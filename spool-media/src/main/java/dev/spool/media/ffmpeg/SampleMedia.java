package dev.spool.media.ffmpeg;

import dev.spool.model.encode.Ratio;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates test media with ffmpeg's lavfi sources: a moving test pattern with a running clock,
 * and a tone per channel, so pictures and sound are easy to judge and frames are never identical.
 * Used by {@code spool run --sample}, the benchmarks and the tests.
 */
public final class SampleMedia {

    /**
     * What to generate.
     *
     * @param audioChannels 0 (none), 1, 2 or 6 (5.1)
     * @param rotation      display rotation metadata in degrees clockwise (0: none)
     * @param sampleAspect  pixel aspect ratio (1:1 for square pixels)
     */
    public record Spec(int width, int height, Ratio frameRate, double seconds, int audioChannels, int rotation,
                       Ratio sampleAspect, boolean withVideo) {
        public static Spec video(int width, int height, int fps, double seconds) {
            return new Spec(width, height, new Ratio(fps, 1), seconds, 2, 0, Ratio.ONE, true);
        }

        public Spec audioChannels(int channels) {
            return new Spec(width, height, frameRate, seconds, channels, rotation, sampleAspect, withVideo);
        }

        public Spec rotation(int degrees) {
            return new Spec(width, height, frameRate, seconds, audioChannels, degrees, sampleAspect, withVideo);
        }

        public Spec sampleAspect(Ratio sar) {
            return new Spec(width, height, frameRate, seconds, audioChannels, rotation, sar, withVideo);
        }

        public Spec frameRate(Ratio rate) {
            return new Spec(width, height, rate, seconds, audioChannels, rotation, sampleAspect, withVideo);
        }

        public Spec audioOnly() {
            return new Spec(width, height, frameRate, seconds, Math.max(1, audioChannels), 0, sampleAspect, false);
        }
    }

    private SampleMedia() {}

    /** Writes the sample to {@code out} (an .mp4 or .m4a), atomically. */
    public static Path generate(FfmpegTools tools, Spec spec, Path out) {
        Path temp = out.resolveSibling("." + out.getFileName() + ".partial" + extension(out));
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error"));
        if (spec.withVideo()) {
            args.addAll(List.of("-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=%s",
                    spec.width(), spec.height(), spec.frameRate())));
        }
        if (spec.audioChannels() > 0) args.addAll(List.of("-f", "lavfi", "-i", tone(spec.audioChannels())));
        if (spec.withVideo()) {
            String filter = "format=yuv420p" + (spec.sampleAspect().equals(Ratio.ONE) ? "" : ",setsar=" + spec.sampleAspect());
            args.addAll(List.of("-vf", filter, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-g",
                    Long.toString(Math.round(spec.frameRate().value() * 2))));
        }
        if (spec.audioChannels() > 0) args.addAll(List.of("-c:a", "aac", "-b:a", 64 * spec.audioChannels() + "k"));
        args.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", spec.seconds()), temp.toString()));
        run(tools, args, out);
        if (spec.rotation() != 0) {
            // Rotation is display metadata, so it is set on a stream copy, where ffmpeg does not apply it.
            Path rotated = out.resolveSibling("." + out.getFileName() + ".rotated" + extension(out));
            run(tools, List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
                    "-display_rotation:v:0", Integer.toString(-spec.rotation()), "-i", temp.toString(),
                    "-c", "copy", rotated.toString()), out);
            move(rotated, temp);
        }
        move(temp, out);
        return out;
    }

    private static String tone(int channels) {
        String[] notes = {"440", "660", "550", "330", "110", "880"};
        List<String> expressions = new ArrayList<>();
        for (int c = 0; c < channels; c++) expressions.add("0.2*sin(" + notes[c % notes.length] + "*2*PI*t)");
        String layout = switch (channels) {
            case 1 -> "mono";
            case 2 -> "stereo";
            case 6 -> "5.1";
            default -> throw new IllegalArgumentException("audio channels must be 0, 1, 2 or 6: " + channels);
        };
        return "aevalsrc=" + String.join("|", expressions) + ":s=48000:c=" + layout;
    }

    private static void run(FfmpegTools tools, List<String> args, Path out) {
        ToolProcess.Result result = ToolProcess.run("ffmpeg", tools.ffmpeg(args), line -> { });
        if (!result.ok()) throw SpoolError.encoder("cannot generate sample " + out + ": " + result.lastError());
    }

    private static String extension(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 ? name.substring(dot) : ".mp4";
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw SpoolError.output(to.toString(), "cannot be written: " + e.getMessage());
        }
    }
}
