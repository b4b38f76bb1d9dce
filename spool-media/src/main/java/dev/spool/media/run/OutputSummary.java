package dev.spool.media.run;

/**
 * One written output as a summary reports it: a rendition (or the audio) with its size, its
 * measured peak and average bitrate, and its duration.
 */
public record OutputSummary(String name, String path, int width, int height, String codecs, long peakBps,
                            long averageBps, long bytes, double durationSec) {}
