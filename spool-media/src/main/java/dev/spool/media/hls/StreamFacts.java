package dev.spool.media.hls;

import dev.spool.model.encode.Ratio;

import java.util.List;
import java.util.Optional;

/**
 * What an encoded output really contains, read back with ffprobe: one stream's codec and picture,
 * its RFC 6381 codec string, and every packet's timing and keyframe flag.
 */
public record StreamFacts(String type, String codecName, int width, int height, Ratio frameRate, int channels,
                          Optional<String> codecs, List<Packet> packets) {

    /** A packet's presentation time and duration in seconds, and whether it starts a keyframe. */
    public record Packet(double pts, double duration, boolean key) {}

    public StreamFacts {
        packets = List.copyOf(packets);
    }

    /** First presentation time (packets come in decode order, so the minimum is searched). */
    public double start() {
        return packets.stream().mapToDouble(Packet::pts).min().orElse(0);
    }

    /** From the first presented frame to the end of the last one. */
    public double duration() {
        double end = packets.stream().mapToDouble(p -> p.pts() + p.duration()).max().orElse(0);
        return packets.isEmpty() ? 0 : end - start();
    }

    public boolean isVideo() { return type.equals("video"); }
}
