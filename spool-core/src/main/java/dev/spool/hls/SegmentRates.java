package dev.spool.hls;

import dev.spool.job.SpoolError;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Bitrates measured from the segments on disk: the peak segment rate (HLS BANDWIDTH) and the
 * whole-presentation average (AVERAGE-BANDWIDTH), both in bits per second. A last segment shorter
 * than half the target duration is left out of the peak: a few milliseconds of audio after the
 * video ends carry a fragment header that would otherwise pose as a bitrate spike.
 */
public record SegmentRates(long peakBps, long averageBps, long totalBytes) {

    public static SegmentRates measure(MediaPlaylist playlist) {
        long peak = 0;
        long total = 0;
        var segments = playlist.segments();
        for (int i = 0; i < segments.size(); i++) {
            MediaPlaylist.Segment s = segments.get(i);
            long bytes;
            try {
                bytes = Files.size(playlist.resolve(s.uri()));
            } catch (IOException e) {
                throw SpoolError.verification("segment " + playlist.resolve(s.uri()) + " is missing");
            }
            total += bytes;
            boolean shortTail = i == segments.size() - 1 && i > 0 && s.duration() < playlist.targetDuration() / 2.0;
            if (!shortTail) peak = Math.max(peak, Math.round(bytes * 8 / s.duration()));
        }
        long average = Math.round(total * 8 / playlist.totalDuration());
        return new SegmentRates(peak, average, total);
    }
}
