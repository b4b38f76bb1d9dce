package dev.spool.media.ffmpeg;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ffmpeg and ffprobe may open when they read a job's input. Spool confines its own file
 * access to the roots, but a playlist or list (HLS, DASH, concat, IMF, SDP...) makes ffmpeg open
 * whatever it names, so an {@code .m3u8} inside a root could read a video outside it. Two ffmpeg
 * options, given before every {@code -i} of a job's input, close that:
 * <ul>
 *   <li>{@code -protocol_whitelist file}: only local files (remote inputs are downloaded first,
 *       by Spool, under its address policy);</li>
 *   <li>{@code -format_whitelist}: only the demuxers below, which read the media in the one file
 *       they are given. ffmpeg detects the format by content, whatever the name says, and hands
 *       both lists down to nested demuxers (a playlist hidden in an AVI subtitle stream is refused
 *       too).</li>
 * </ul>
 * Spool's own intermediate files (piece playlists it stitches) are read without this: it wrote them.
 */
public final class InputSandbox {
    /**
     * Containers and elementary streams of video, audio and text subtitles. A name matches every
     * alias of a demuxer ({@code mov} is also mp4, m4a, 3gp; {@code matroska} is also webm).
     * Not here, on purpose: hls, dash, concat, imf, webm_dash_manifest, sdp, rtp, rtsp, image2
     * (file patterns), ffmetadata, and anything else that opens more than its one file.
     */
    static final List<String> DEMUXERS = List.of(
            "mov", "matroska", "avi", "mpegts", "mpeg", "mpegvideo", "flv", "asf", "mxf", "ogg", "dv",
            "nut", "gxf", "lxf", "wtv", "rm", "nuv", "yuv4mpegpipe", "ivf", "obu",
            "h264", "hevc", "vvc", "m4v", "mjpeg", "dirac", "dnxhd", "vc1", "h263",
            "wav", "w64", "aiff", "caf", "mp3", "aac", "loas", "ac3", "eac3", "dts", "dtshd", "truehd",
            "mlp", "flac", "amr", "wv", "ape", "tta", "tak", "mpc", "mpc8",
            "srt", "ass", "webvtt");

    /** ffmpeg's words when a demuxer outside the list recognised the input, e.g. "[hls @ 0x55...] Format not on whitelist". */
    private static final Pattern REFUSED = Pattern.compile("\\[([\\w,]+) @ [^]]*] Format not on whitelist");
    private static final Pattern PROTOCOL_REFUSED = Pattern.compile("Protocol '([\\w+-]+)' not on whitelist");

    private InputSandbox() {}

    /** The options that go right before {@code -i INPUT}. */
    public static List<String> inputOptions() {
        return List.of("-protocol_whitelist", "file", "-format_whitelist", String.join(",", DEMUXERS));
    }

    /** Why the input was refused, in a user's words, when ffmpeg's output says the sandbox refused it. */
    public static Optional<String> refusal(List<String> stderr) {
        for (String line : stderr) {
            Matcher format = REFUSED.matcher(line);
            if (format.find()) {
                return Optional.of("is a " + format.group(1) + " playlist or list, which makes ffmpeg open the files it"
                        + " names; Spool reads one media file per job: give the video file itself");
            }
            Matcher protocol = PROTOCOL_REFUSED.matcher(line);
            if (protocol.find()) {
                return Optional.of("makes ffmpeg open a " + protocol.group(1) + " address; Spool reads one local media"
                        + " file per job: give the video file itself");
            }
        }
        return Optional.empty();
    }
}
