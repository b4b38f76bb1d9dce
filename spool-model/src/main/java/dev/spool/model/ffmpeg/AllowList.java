package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller's ffmpeg command may contain. Everything not named here is refused: ffmpeg has
 * hundreds of options and many open files or addresses, so a deny-list would always be one short.
 */
final class AllowList {
    private AllowList() {}

    /** Options that take no value. -y, -n and -hide_banner are accepted but Spool sets its own. */
    static final Set<String> FLAGS = Set.of("-y", "-n", "-hide_banner", "-nostdin", "-an", "-vn", "-sn", "-dn", "-shortest");

    static final Set<String> CODEC_OPTIONS = Set.of("-c", "-codec", "-c:v", "-c:a", "-codec:v", "-codec:a", "-vcodec", "-acodec");
    static final Set<String> FILTER_OPTIONS = Set.of("-vf", "-af", "-filter:v", "-filter:a", "-filter_complex");

    static final Set<String> ENCODERS = Set.of("libx264", "libx265", "libsvtav1", "libaom-av1", "libvpx-vp9", "libvpx",
            "aac", "libopus", "opus", "libvorbis", "libmp3lame", "flac", "pcm_s16le", "pcm_s24le", "gif", "png",
            "mjpeg", "copy");

    /** Input formats a caller may force; none opens other files (no concat, image2, hls, dash, lavfi...). */
    static final Set<String> INPUT_FORMATS = Set.of("mov", "mp4", "matroska", "webm", "mpegts", "avi", "flv",
            "wav", "mp3", "flac", "ogg", "aac", "h264", "hevc");

    static final Set<String> LOG_LEVELS = Set.of("quiet", "panic", "fatal", "error", "warning", "info", "verbose");
    static final Set<String> MOVFLAGS = Set.of("faststart", "frag_keyframe", "empty_moov", "default_base_moof",
            "separate_moof", "omit_tfhd_offset", "negative_cts_offsets");

    /** The most threads a caller may ask for: the worker's CPU share is its to decide, not the caller's. */
    static final int MAX_THREADS = 16;
    /** -ss, -t and -to beyond a day are not a real media time, only a way to keep a worker busy. */
    static final double MAX_SECONDS = 24 * 3600;

    /** The output's extension chooses its muxer; ffmpeg's own guess is never used. */
    static final Map<String, String> MUXERS = Map.ofEntries(
            Map.entry("mp4", "mp4"), Map.entry("mov", "mov"), Map.entry("m4a", "ipod"), Map.entry("mkv", "matroska"),
            Map.entry("webm", "webm"), Map.entry("mp3", "mp3"), Map.entry("aac", "adts"), Map.entry("wav", "wav"),
            Map.entry("flac", "flac"), Map.entry("ogg", "ogg"), Map.entry("opus", "opus"), Map.entry("gif", "gif"),
            Map.entry("png", "image2"), Map.entry("jpg", "image2"), Map.entry("jpeg", "image2"), Map.entry("ts", "mpegts"));

    /** Options refused with a reason of their own, because each reads or writes a file Spool does not choose. */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("-dump_attachment", "writes attachments to files"),
            Map.entry("-attach", "reads a file into the output"),
            Map.entry("-passlogfile", "writes and reads a two-pass log file"),
            Map.entry("-pass", "needs a two-pass log file"),
            Map.entry("-pre", "reads a preset file"), Map.entry("-fpre", "reads a preset file"),
            Map.entry("-vpre", "reads a preset file"), Map.entry("-apre", "reads a preset file"),
            Map.entry("-spre", "reads a preset file"),
            Map.entry("-progress", "writes progress to a file or address (the worker sets its own)"),
            Map.entry("-vstats", "writes a statistics file"), Map.entry("-vstats_file", "writes a statistics file"),
            Map.entry("-filter_script", "reads a filter graph from a file"),
            Map.entry("-filter_complex_script", "reads a filter graph from a file"),
            Map.entry("-/filter", "reads a filter graph from a file"),
            Map.entry("-/filter_complex", "reads a filter graph from a file"),
            Map.entry("-/vf", "reads a filter graph from a file"), Map.entry("-/af", "reads a filter graph from a file"),
            Map.entry("-sdp_file", "writes an SDP file"), Map.entry("-report", "writes a report file"),
            Map.entry("-protocol_whitelist", "is set by Spool"), Map.entry("-protocol_blacklist", "is set by Spool"),
            Map.entry("-format_whitelist", "is set by Spool"),
            Map.entry("-stdin", "would let ffmpeg read the worker's input"));

    /** Schemes ffmpeg would open as an address or another file, anywhere in a value. */
    private static final Pattern PROTOCOL = Pattern.compile(
            "(?i)\\b(https?|file|concat|concatf|subfile|data|pipe|fd|ftp|sftp|rtmpt?e?s?|rtsp|rtp|srtp|srt|tcp|udp|unix|tls|crypto|cache|async|gopher|hls|ipfs|ipns|md5|tee|zmq|icecast|mmsh?|smb|libsmbclient)\\s*[:,]");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern BITRATE = Pattern.compile("\\d+(\\.\\d+)?[kKmM]?");
    private static final Pattern RATE = Pattern.compile("\\d+(\\.\\d+)?(/\\d+)?");
    private static final Pattern SIZE = Pattern.compile("\\d{1,5}x\\d{1,5}");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(?:(\\d+):)?(\\d+(?:\\.\\d+)?)");
    private static final Pattern METADATA = Pattern.compile("[A-Za-z0-9_:-]+=.*");
    /** A file name a caller declares: one plain name in the sandbox, never a path, option or pattern. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Refuses a value that names an address or protocol, whatever option carries it. */
    static void noProtocol(String option, String value) {
        var m = PROTOCOL.matcher(value);
        if (m.find()) {
            throw SpoolError.invalid("command", "'" + value + "' (value of " + option + ") names the '" + m.group(1)
                    + "' protocol: ffmpeg may only read the declared input files");
        }
    }

    /** Checks a file name of input_files or output_filename: a plain name, no path, no '..'. */
    static void name(String field, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw SpoolError.invalid(field, "'" + name + "' is not a plain file name: use letters, digits, '.', '_'"
                    + " and '-' only, no '/', no '..', no '%' pattern, not starting with '-' or '.'");
        }
    }

    /** Checks the value of a value-taking option; the caller has already checked the option is known. */
    static void value(String option, String value) {
        noProtocol(option, value);
        switch (option) {
            case "-loglevel", "-v" -> require(LOG_LEVELS.contains(value), option, value, "is not a log level (quiet, error, warning, info, verbose)");
            case "-ss", "-t", "-to" -> duration(option, value);
            case "-f" -> require(INPUT_FORMATS.contains(value), option, value,
                    "is not an allowed input format (" + String.join(", ", new java.util.TreeSet<>(INPUT_FORMATS)) + ")");
            case "-b:v", "-b:a", "-fs" -> require(BITRATE.matcher(value).matches(), option, value, "is not a size such as 2500k or 4M");
            case "-crf" -> require(NUMBER.matcher(value).matches() && Double.parseDouble(value) <= 63, option, value, "is not a number from 0 to 63");
            case "-preset", "-tune", "-profile:v", "-profile:a", "-level", "-pix_fmt" -> require(WORD.matcher(value).matches(), option, value, "is not a plain word");
            case "-g", "-ar", "-ac", "-frames:v", "-vframes" -> require(value.matches("\\d{1,9}"), option, value, "is not a whole number");
            case "-r" -> require(RATE.matcher(value).matches(), option, value, "is not a frame rate such as 30 or 30000/1001");
            case "-s" -> require(SIZE.matcher(value).matches(), option, value, "is not a size such as 1280x720");
            case "-threads" -> require(value.matches("\\d{1,3}") && Integer.parseInt(value) <= MAX_THREADS, option, value,
                    "is not a thread count from 0 to " + MAX_THREADS);
            case "-map_metadata" -> require(value.matches("-1|\\d{1,2}"), option, value, "is not an input index or -1");
            case "-metadata" -> require(METADATA.matcher(value).matches(), option, value, "is not KEY=VALUE");
            case "-movflags" -> movflags(value);
            default -> {
                if (CODEC_OPTIONS.contains(option)) {
                    require(ENCODERS.contains(value), option, value, "is not an allowed encoder ("
                            + String.join(", ", new java.util.TreeSet<>(ENCODERS)) + ")");
                }
            }
        }
    }

    /** The options that take a value (besides -i, -map and the filter options, checked elsewhere). */
    static boolean takesValue(String option) {
        return CODEC_OPTIONS.contains(option) || switch (option) {
            case "-loglevel", "-v", "-ss", "-t", "-to", "-f", "-b:v", "-b:a", "-fs", "-crf", "-preset", "-tune",
                 "-profile:v", "-profile:a", "-level", "-pix_fmt", "-g", "-ar", "-ac", "-frames:v", "-vframes", "-r", "-s",
                 "-threads", "-map_metadata", "-metadata", "-movflags" -> true;
            default -> false;
        };
    }

    static double seconds(String value) {
        var m = CLOCK.matcher(value);
        if (!m.matches()) return -1;
        double s = Double.parseDouble(m.group(3));
        if (m.group(2) != null) s += Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60;
        else if (m.group(1) != null) s += Long.parseLong(m.group(1)) * 60;
        return s;
    }

    private static void duration(String option, String value) {
        double s = seconds(value);
        require(s >= 0, option, value, "is not a time such as 12.5 or 00:01:30");
        require(s <= MAX_SECONDS, option, value, "is more than 24 hours");
    }

    private static void movflags(String value) {
        for (String flag : value.split("\\+")) {
            String f = flag.startsWith("-") ? flag.substring(1) : flag;
            if (!f.isEmpty()) require(MOVFLAGS.contains(f), "-movflags", value, "has '" + f + "', not an allowed flag");
        }
    }

    private static void require(boolean ok, String option, String value, String why) {
        if (!ok) throw SpoolError.invalid("command", "'" + value + "' (value of " + option + ") " + why);
    }
}
