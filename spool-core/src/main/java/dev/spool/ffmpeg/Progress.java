package dev.spool.ffmpeg;

/**
 * One progress report of a running encode.
 *
 * @param percent  0..100 of the source duration encoded
 * @param fps      frames encoded per second (0 when ffmpeg has not said yet)
 * @param speed    media seconds encoded per wall second ("2.5x realtime")
 * @param etaSec   estimated seconds left, or -1 while unknown
 * @param done     true on ffmpeg's final report
 */
public record Progress(double percent, double fps, double speed, long etaSec, boolean done) {}
