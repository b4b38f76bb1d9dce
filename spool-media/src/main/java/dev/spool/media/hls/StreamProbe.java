package dev.spool.media.hls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.model.encode.Ratio;
import dev.spool.media.ffmpeg.ToolProcess;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an output back (a media playlist through ffmpeg's HLS demuxer, or an MP4 file) with one
 * ffprobe run: stream parameters, decoder configuration and packet timings. Results are kept, so
 * writing the master playlist and verifying the ladder probe each output only once.
 */
public final class StreamProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FfmpegTools tools;
    private final Map<Path, List<StreamFacts>> cache = new ConcurrentHashMap<>();

    public StreamProbe(FfmpegTools tools) {
        this.tools = tools;
    }

    /** Every audio and video stream of the output, in stream order. */
    public List<StreamFacts> streams(Path output) {
        return cache.computeIfAbsent(output.toAbsolutePath().normalize(), this::probe);
    }

    private JsonNode ffprobe(Path output, List<String> entries) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-allowed_extensions", "ALL"));
        args.addAll(entries);
        args.addAll(List.of("-of", "json", output.toString()));
        String json = ToolProcess.capture("ffprobe", tools.ffprobe(args),
                failure -> { throw SpoolError.verification(output + " cannot be read back: " + failure.lastError()); });
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw SpoolError.verification("ffprobe output for " + output + " is not JSON: " + e.getMessage());
        }
    }

    public StreamFacts first(Path output, String type) {
        return streams(output).stream().filter(s -> s.type().equals(type)).findFirst()
                .orElseThrow(() -> SpoolError.verification(output + " has no " + type + " stream"));
    }

    private List<StreamFacts> probe(Path output) {
        // Two passes: -show_data hexdumps every packet it reads (seconds for a long ladder), so the
        // decoder configuration is read from the stream headers alone, the packet timings without it.
        JsonNode header = ffprobe(output, List.of("-show_entries",
                "stream=index,codec_type,codec_name,profile,width,height,r_frame_rate,avg_frame_rate,channels,extradata",
                "-show_data"));
        JsonNode timings = ffprobe(output, List.of("-show_entries", "packet=stream_index,pts_time,duration_time,flags"));
        List<StreamFacts> result = new ArrayList<>();
        for (JsonNode s : header.path("streams")) {
            String type = s.path("codec_type").asText();
            if (!type.equals("video") && !type.equals("audio")) continue;
            int index = s.path("index").asInt();
            List<StreamFacts.Packet> packets = new ArrayList<>();
            for (JsonNode p : timings.path("packets")) {
                if (p.path("stream_index").asInt() != index || !p.hasNonNull("pts_time")) continue;
                packets.add(new StreamFacts.Packet(p.path("pts_time").asDouble(), p.path("duration_time").asDouble(0),
                        p.path("flags").asText("").startsWith("K")));
            }
            String codec = s.path("codec_name").asText("");
            Optional<String> codecs = type.equals("video")
                    ? CodecString.video(codec, CodecString.fromHexdump(s.path("extradata").asText("")))
                    : CodecString.audio(codec, s.path("profile").asText(""));
            Ratio rate = Ratio.parse(s.path("avg_frame_rate").asText());
            if (!rate.known()) rate = Ratio.parse(s.path("r_frame_rate").asText());
            result.add(new StreamFacts(type, codec, s.path("width").asInt(), s.path("height").asInt(), rate,
                    s.path("channels").asInt(), codecs, packets));
        }
        return List.copyOf(result);
    }
}
