package dev.spool.media.probe;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.InputSandbox;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.encode.Ratio;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs ffprobe on an input and describes it, refusing inputs that hold nothing Spool can encode. */
public final class Probe {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Average and nominal frame rates further apart than this mean the timing is irregular. */
    private static final double VFR_TOLERANCE = 0.005;

    private final FfmpegTools tools;

    public Probe(FfmpegTools tools) {
        this.tools = tools;
    }

    public MediaInfo probe(Path input) {
        String name = input.toString();
        long size = checkReadableFile(input);
        List<String> args = new ArrayList<>(List.of("-v", "error", "-print_format", "json", "-show_format", "-show_streams"));
        args.addAll(InputSandbox.inputOptions());
        args.add(input.toString());
        String json = ToolProcess.capture("ffprobe", tools.ffprobe(args), failure -> { throw explain(name, failure); });
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw SpoolError.input(name, "ffprobe output could not be read: " + e.getMessage());
        }
        return describe(input, size, root);
    }

    /** Refuses what is not a readable, non-empty regular file before ffprobe sees it. */
    static long checkReadableFile(Path input) {
        String name = input.toString();
        if (!Files.exists(input)) throw SpoolError.input(name, "no such file");
        if (Files.isDirectory(input)) throw SpoolError.input(name, "is a directory, not a video file");
        if (!Files.isReadable(input)) throw SpoolError.input(name, "permission denied");
        try {
            long size = Files.size(input);
            if (size == 0) throw SpoolError.input(name, "is empty (0 bytes)");
            return size;
        } catch (IOException e) {
            throw SpoolError.input(name, "cannot be read: " + e.getMessage());
        }
    }

    private static final java.util.regex.Pattern IMPOSSIBLE_SIZE = java.util.regex.Pattern.compile("Picture size (\\d+x\\d+) is invalid");

    private static SpoolError explain(String name, ToolProcess.Result failure) {
        var refused = InputSandbox.refusal(failure.stderrTail());
        if (refused.isPresent()) return SpoolError.input(name, refused.get());
        String all = String.join("\n", failure.stderrTail());
        if (all.contains("moov atom not found")) {
            return startsLikeMp4(Path.of(name))
                    ? SpoolError.input(name, "is truncated or incomplete: its MP4 index (moov atom) is missing")
                    : SpoolError.input(name, "is not a video or audio file (no MP4 structure, whatever its name says)");
        }
        java.util.regex.Matcher size = IMPOSSIBLE_SIZE.matcher(all);
        if (size.find())   // ffprobe then ends on an unrelated errno ("Device or resource busy"): say what it refused
            return SpoolError.input(name, "declares a picture size ffmpeg refuses (" + size.group(1) + "); it is damaged or not a real video");
        if (all.contains("Invalid data found when processing input"))
            return SpoolError.input(name, "is not a video or audio file ffprobe can read (invalid data)");
        return SpoolError.input(name, "cannot be read: " + failure.lastError());
    }

    /** An MP4/MOV file opens with a box such as ftyp, moov, mdat, free, skip or wide. */
    private static boolean startsLikeMp4(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            if (head.length < 8) return false;
            String type = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            return java.util.Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot").contains(type);
        } catch (IOException e) {
            return false;
        }
    }

    static MediaInfo describe(Path input, long size, JsonNode root) {
        String name = input.toString();
        Optional<VideoStream> video = Optional.empty();
        List<AudioStream> audio = new ArrayList<>();
        List<SubtitleStream> subtitles = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            String codec = s.path("codec_name").asText("");
            if (codec.isEmpty() || codec.equals("none")) continue;   // a stream no decoder here understands
            String language = s.path("tags").path("language").asText("und");
            switch (s.path("codec_type").asText()) {
                case "video" -> {
                    if (video.isEmpty() && s.path("disposition").path("attached_pic").asInt() == 0
                            && s.path("width").asInt() > 0 && s.path("height").asInt() > 0)
                        video = Optional.of(video(s));
                }
                case "audio" -> {
                    if (s.path("channels").asInt() > 0)
                        audio.add(new AudioStream(s.path("index").asInt(), codec, s.path("channels").asInt(),
                                s.path("sample_rate").asInt(), language, s.path("disposition").path("default").asInt() == 1,
                                s.path("duration").asDouble(0)));
                }
                case "subtitle" -> subtitles.add(new SubtitleStream(s.path("index").asInt(), codec, language));
                default -> { }
            }
        }
        if (video.isEmpty() && audio.isEmpty())
            throw SpoolError.input(name, "has no decodable video or audio stream");
        double duration = root.path("format").path("duration").asDouble(0);
        if (duration <= 0) {
            for (JsonNode s : root.path("streams")) duration = Math.max(duration, s.path("duration").asDouble(0));
        }
        if (duration <= 0) throw SpoolError.input(name, "has no known duration (a live stream or a damaged file?)");
        return new MediaInfo(input, root.path("format").path("format_name").asText("unknown"), duration, size,
                video, audio, subtitles, Math.max(0, root.path("format").path("start_time").asDouble(0)));
    }

    private static VideoStream video(JsonNode s) {
        Ratio avg = Ratio.parse(s.path("avg_frame_rate").asText());
        Ratio nominal = Ratio.parse(s.path("r_frame_rate").asText());
        Ratio rate = avg.known() ? avg : nominal;
        boolean vfr = avg.known() && nominal.known()
                && Math.abs(avg.value() - nominal.value()) > VFR_TOLERANCE * nominal.value();
        String pixFmt = s.path("pix_fmt").asText("unknown");
        return new VideoStream(s.path("index").asInt(), s.path("codec_name").asText(), s.path("width").asInt(),
                s.path("height").asInt(), rotation(s), sampleAspect(s), rate, vfr, pixFmt, bitDepth(s, pixFmt),
                s.path("color_transfer").asText("unknown"), s.path("duration").asDouble(0));
    }

    /** Clockwise degrees from the display matrix (ffprobe reports it counter-clockwise) or the legacy rotate tag. */
    private static int rotation(JsonNode s) {
        for (JsonNode side : s.path("side_data_list")) {
            if (side.has("rotation")) return normalize(-side.path("rotation").asInt());
        }
        JsonNode tag = s.path("tags").path("rotate");
        return tag.isMissingNode() ? 0 : normalize(tag.asInt());
    }

    private static int normalize(int degrees) {
        int d = ((degrees % 360) + 360) % 360;
        return Math.round(d / 90f) * 90 % 360;
    }

    private static Ratio sampleAspect(JsonNode s) {
        Ratio sar = Ratio.parse(s.path("sample_aspect_ratio").asText("1:1"));
        return sar.known() ? sar : Ratio.ONE;
    }

    private static int bitDepth(JsonNode s, String pixFmt) {
        int raw = s.path("bits_per_raw_sample").asInt(0);
        if (raw > 0) return raw;
        if (pixFmt.contains("p10") || pixFmt.contains("10le") || pixFmt.contains("10be")) return 10;
        if (pixFmt.contains("p12") || pixFmt.contains("12le") || pixFmt.contains("12be")) return 12;
        return 8;
    }
}
