package dev.spool.media.ffmpeg;

/**
 * One progress report of a running encode.
 *
 * @param percent  0..100 of the source duration encoded
 * @param fps      frames encoded per second (0 when ffmpeg has not said yet)
 * @param speed    media seconds encoded per wall second ("2.5x realtime")
 * @param etaSec   estimated seconds left, or -1 while unknown
 * @param done     true on ffmpeg's final report
 * @param frames   video frames written so far (ffmpeg's {@code frame=}), or -1 while unknown
 */
public record Progress(double percent, double fps, double speed, long etaSec, boolean done, long frames) {
    /** A report that does not count frames. */
    public Progress(double percent, double fps, double speed, long etaSec, boolean done) {
        this(percent, fps, speed, etaSec, done, -1);
    }
}
