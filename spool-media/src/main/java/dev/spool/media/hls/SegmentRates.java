package dev.spool.media.hls;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Bitrates measured from the segments on disk, in bits per second: the peak segment bit rate (HLS
 * BANDWIDTH) and the average segment bit rate (AVERAGE-BANDWIDTH), as RFC 8216 section 4.1 defines
 * them. The peak is the fastest contiguous run of segments lasting 0.5 to 1.5 times the target
 * duration, so a short last segment counts together with the one before it: alone, a few
 * milliseconds of audio and a fragment header would pose as a spike; left out, a short segment
 * that starts on a keyframe would pull the average above the peak.
 */
public record SegmentRates(long peakBps, long averageBps, long totalBytes) {
    /** A run of segments counts towards the peak when it lasts this many target durations, at least. */
    static final double WINDOW_MIN = 0.5;
    /** ... and at most this many. */
    static final double WINDOW_MAX = 1.5;

    public SegmentRates {
        if (averageBps < 0 || totalBytes < 0) throw new IllegalArgumentException("averageBps and totalBytes cannot be negative");
        if (peakBps < averageBps)
            throw new IllegalArgumentException("peakBps " + peakBps + " cannot be below averageBps " + averageBps);
    }

    public static SegmentRates measure(MediaPlaylist playlist) {
        List<MediaPlaylist.Segment> segments = playlist.segments();
        long[] bytes = new long[segments.size()];
        long total = 0;
        for (int i = 0; i < bytes.length; i++) {
            try {
                bytes[i] = Files.size(playlist.resolve(segments.get(i).uri()));
            } catch (IOException e) {
                throw SpoolError.verification("segment " + playlist.resolve(segments.get(i).uri()) + " is missing");
            }
            total += bytes[i];
        }
        double average = total * 8 / playlist.totalDuration();
        double peak = peak(segments, bytes, playlist.targetDuration());
        // where no run of the right length covers the densest segments (a presentation shorter than
        // half the target, odd lengths around a long segment) the RFC's peak could fall below the
        // average; a player budgets by BANDWIDTH, so it is never less than the average
        return new SegmentRates(Math.round(Math.max(peak, average)), Math.round(average), total);
    }

    /** The fastest contiguous run lasting WINDOW_MIN to WINDOW_MAX target durations; 0 when none does. */
    static double peak(List<MediaPlaylist.Segment> segments, long[] bytes, int targetDuration) {
        double min = WINDOW_MIN * targetDuration;
        double max = WINDOW_MAX * targetDuration;
        double peak = 0;
        for (int first = 0; first < segments.size(); first++) {
            double seconds = 0;
            long size = 0;
            for (int last = first; last < segments.size(); last++) {
                seconds += segments.get(last).duration();
                size += bytes[last];
                if (seconds > max) break;
                if (seconds >= min) peak = Math.max(peak, size * 8 / seconds);
            }
        }
        return peak;
    }
}
