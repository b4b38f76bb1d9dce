package dev.spool.hls;

import dev.spool.job.SpoolError;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Bitrates measured from the segments on disk: the peak segment rate (HLS BANDWIDTH) and the
 * whole-presentation average (AVERAGE-BANDWIDTH), both in bits per second.
 */
public record SegmentRates(long peakBps, long averageBps, long totalBytes) {

    public static SegmentRates measure(MediaPlaylist playlist) {
        long peak = 0;
        long total = 0;
        for (MediaPlaylist.Segment s : playlist.segments()) {
            long bytes;
            try {
                bytes = Files.size(playlist.resolve(s.uri()));
            } catch (IOException e) {
                throw SpoolError.verification("segment " + playlist.resolve(s.uri()) + " is missing");
            }
            total += bytes;
            peak = Math.max(peak, Math.round(bytes * 8 / s.duration()));
        }
        long average = Math.round(total * 8 / playlist.totalDuration());
        return new SegmentRates(peak, average, total);
    }
}
