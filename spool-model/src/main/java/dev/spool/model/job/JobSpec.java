package dev.spool.model.job;

import dev.spool.model.SpoolError;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spool.model.encode.AudioEncoding;
import dev.spool.model.encode.Bitrate;
import dev.spool.model.encode.EncodeOptions;
import dev.spool.model.encode.Rung;
import dev.spool.model.encode.VideoCodec;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a client asks for (POST /api/v1/jobs), checked as it is built: every bad value is refused
 * with the name of its field. It is the request only: the coordinator stores and sends its
 * {@link #record()}, which is read back without these checks. Seed 001's shape is kept: {@code outputs} is a list of renditions
 * with resolution, bitrate, codec and dest_path; {@code output} names the ladder's directory (or
 * is derived from dest_path, whose last directory must be the rung: processed/sample/720p/).
 * Seed 000's job knobs {@code video_bitrate}, {@code audio_codec} and {@code audio_bitrate} are
 * kept as given ("3M", 5000000, "opus") and read into {@link EncodeOptions}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(String input, String output, List<OutputSpec> outputs, HlsSettings hlsSettings, String format,
                      String segmentFormat, Priority priority, Map<String, String> labels, WebhookSpec webhook,
                      String idempotencyKey, Integer pieceSeconds, String videoBitrate, String audioCodec,
                      String audioBitrate) {
    public static final int MAX_PATH = 4096;
    /** The longest piece a job may ask for; a longer one would only defeat the point of pieces. */
    public static final int MAX_PIECE_SECONDS = 3600;
    public static final int MAX_OUTPUTS = 16;
    public static final int MAX_LABELS = 32;
    public static final Priority DEFAULT_PRIORITY = Priority.NORMAL;

    public JobSpec {
        if (outputs != null) outputs.forEach(OutputSpec::check);   // first, as when they were checked as they were read
        if (webhook != null) webhook.check();
        input = checkedPath("input", input);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        if (outputs.size() > MAX_OUTPUTS) throw SpoolError.invalid("outputs", "has more than " + MAX_OUTPUTS + " renditions");
        output = output != null ? checkedPath("output", output) : derivedOutput(outputs);
        refuseGcs("input", input);
        refuseGcs("output", output);
        LocationForms.checkInput(input);   // after gs://, which has a message of its own
        if (dev.spool.model.storage.ObjectLocation.parse(output).filter(dev.spool.model.storage.ObjectLocation::onCoordinator)
                .map(o -> o.key().isEmpty() || o.key().equals("uploads") || o.key().startsWith("uploads/")).orElse(false))
            throw SpoolError.invalid("output", "must name a place of its own, not the coordinator's whole store or "
                    + "spool://uploads/ where inputs are kept: use spool://outputs/NAME");
        if (output.toLowerCase(java.util.Locale.ROOT).matches("https?://.*"))
            throw SpoolError.invalid("output", "cannot be an HTTP URL; give a path (under a worker's --root) or s3://bucket/prefix");
        LocationForms.checkOutput(output);
        checkDestPaths(output, outputs);
        hlsSettings = hlsSettings == null ? HlsSettings.defaults() : hlsSettings;
        format = format == null ? "hls" : format;
        segmentFormat = segmentFormat == null ? "fmp4" : segmentFormat;
        priority = priority == null ? DEFAULT_PRIORITY : priority;
        if (labels != null) checkLabels(labels);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128))
            throw SpoolError.invalid("idempotency_key", "must be 1 to 128 characters");
        // seed 000's knobs stay as given (null when absent, so older workers read the spec as before)
        videoBitrate = videoBitrate == null ? null : videoBitrate.strip();
        audioCodec = audioCodec == null ? null : audioCodec.strip();
        audioBitrate = audioBitrate == null ? null : audioBitrate.strip();
        encodeOptions(outputs, hlsSettings, format, segmentFormat, knobs(videoBitrate, audioCodec, audioBitrate));   // refuses bad rungs, codecs, formats now, not on a worker
        pieceSeconds = checkedPieceSeconds(pieceSeconds, hlsSettings.segmentTime());
    }

    /** Seed 000's fields before its job knobs (video_bitrate, audio_codec, audio_bitrate). */
    public JobSpec(String input, String output, List<OutputSpec> outputs, HlsSettings hlsSettings, String format,
                   String segmentFormat, Priority priority, Map<String, String> labels, WebhookSpec webhook,
                   String idempotencyKey, Integer pieceSeconds) {
        this(input, output, outputs, hlsSettings, format, segmentFormat, priority, labels, webhook, idempotencyKey, pieceSeconds,
                null, null, null);
    }

    /** Seed 000's job knobs, read: the audio (default AAC-LC 128 kb/s) and the job-wide video cap in kb/s (0: none). */
    private record Knobs(AudioEncoding audio, int videoCapKbps) {}

    private static Knobs knobs(String videoBitrate, String audioCodec, String audioBitrate) {
        int cap = videoBitrate == null ? 0 : EncodeOptions.checkVideoCap("video_bitrate", Bitrate.kbps("video_bitrate", videoBitrate));
        if (videoBitrate != null && cap == 0) throw SpoolError.invalid("video_bitrate", "must be between 50k and 200M, not 0");
        AudioEncoding.Codec codec = audioCodec == null ? null : AudioEncoding.Codec.parse("audio_codec", audioCodec);
        int kbps = audioBitrate == null ? AudioEncoding.DEFAULT_KBPS
                : AudioEncoding.checkKbps("audio_bitrate", Bitrate.kbps("audio_bitrate", audioBitrate));
        return new Knobs(new AudioEncoding(codec, kbps), cap);
    }

    /** The job as it is stored and sent to workers: these fields, and the encode plan worked out now, once. */
    public JobRecord record() {
        var plan = dev.spool.model.encode.EncodePlan.of(encodeOptions(outputs, hlsSettings, format, segmentFormat,
                knobs(videoBitrate, audioCodec, audioBitrate)));
        return new JobRecord(JobRecord.CURRENT, input, output, outputs, hlsSettings, format, segmentFormat, priority, labels,
                webhook, idempotencyKey, pieceSeconds, videoBitrate, audioCodec, audioBitrate, plan);
    }

    /** The encoding a record written without its plan ({@link JobRecord#FIRST}) asks for, by today's rules. */
    static EncodeOptions encodeOptions(JobRecord r) {
        return encodeOptions(r.outputs(), r.hlsSettings(), r.format(), r.segmentFormat(),
                knobs(r.videoBitrate(), r.audioCodec(), r.audioBitrate()));
    }

    private static EncodeOptions encodeOptions(List<OutputSpec> outputs, HlsSettings hlsSettings, String format,
                                               String segmentFormat, Knobs knobs) {
        Set<String> seen = new HashSet<>();
        Map<String, Integer> caps = new HashMap<>();
        VideoCodec codec = null;
        String hardware = null;
        for (OutputSpec o : outputs) {
            try {
                Rung.named(o.resolution());
            } catch (SpoolError e) {
                throw SpoolError.invalid("outputs[].resolution", "'" + o.resolution() + "' is not a rung; use one of 2160p,1440p,1080p,720p,480p,360p,240p");
            }
            if (!seen.add(o.resolution())) throw SpoolError.invalid("outputs[].resolution", "lists " + o.resolution() + " twice");
            if (o.bitrateKbps() > 0) caps.put(o.resolution(), o.bitrateKbps());
            if (o.codec() != null) {
                VideoCodec c;
                try {
                    c = VideoCodec.ofEncoder(o.codec());
                } catch (SpoolError e) {
                    throw SpoolError.invalid("outputs[].codec", "must be h264, hevc or av1 (or libx264, libx265, libsvtav1, "
                            + "h264_nvenc, hevc_nvenc, av1_nvenc), not '" + o.codec() + "'");
                }
                String hw = VideoCodec.isNvenc(o.codec()) ? o.codec().strip().toLowerCase(java.util.Locale.ROOT) : null;
                if ((codec != null && codec != c) || (codec != null && !java.util.Objects.equals(hardware, hw)))
                    throw SpoolError.invalid("outputs[].codec", "must be the same for every rendition of a ladder");
                codec = c;
                hardware = hw;
            }
        }
        try {
            return new EncodeOptions(List.copyOf(seen), codec, null, hlsSettings.segmentTime(),
                    EncodeOptions.SegmentFormat.parse(segmentFormat), EncodeOptions.OutputFormat.parse(format),
                    hlsSettings.masterPlaylistName(), 0, caps, hardware, knobs.audio(), knobs.videoCapKbps());
        } catch (SpoolError e) {
            String field = switch (e.field() == null ? "" : e.field()) {
                case "hls_time" -> "hls_settings.segment_time";
                case "master_playlist_name" -> "hls_settings.master_playlist_name";
                case "bitrate" -> "outputs[].bitrate";
                default -> e.field();
            };
            throw new SpoolError(e.code(), field, e.getMessage().replaceFirst("^hls_time", "hls_settings.segment_time")
                    .replaceFirst("^master_playlist_name", "hls_settings.master_playlist_name"));
        }
    }

    /** gs:// is refused at submit rather than failing on a worker as a missing file: GCS is reached through its S3 API. */
    private static void refuseGcs(String field, String location) {
        if (!location.regionMatches(true, 0, "gs://", 0, 5)) return;
        throw SpoolError.invalid(field, "'" + location + "' is Google Cloud Storage, which Spool reaches through its "
                + "S3-compatible API: use s3://" + location.substring(5) + " and give the workers --s3-endpoint "
                + "https://storage.googleapis.com --s3-region auto and an HMAC key as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    /**
     * Seed 000's segment duration: whole HLS segments; by default the whole segments that fit in
     * {@value dev.spool.model.encode.PiecePlan#DEFAULT_PIECE_SECONDS} s (at least one).
     */
    private static int checkedPieceSeconds(Integer asked, int hlsTime) {
        if (asked == null) return hlsTime * Math.max(1, dev.spool.model.encode.PiecePlan.DEFAULT_PIECE_SECONDS / hlsTime);
        if (asked == 0) return 0;
        if (asked < 0 || asked > MAX_PIECE_SECONDS)
            throw SpoolError.invalid("piece_seconds", "must be 0 (never split) or 1 to " + MAX_PIECE_SECONDS + ", not " + asked);
        if (asked % hlsTime != 0)
            throw SpoolError.invalid("piece_seconds", "must be a whole number of HLS segments (" + hlsTime + " s each), not " + asked);
        return asked;
    }

    private static String checkedPath(String field, String value) {
        if (value == null || value.isBlank()) throw SpoolError.invalid(field, "is required");
        if (value.length() > MAX_PATH) throw SpoolError.invalid(field, "is longer than " + MAX_PATH + " characters");
        if (value.chars().anyMatch(c -> c < 0x20)) throw SpoolError.invalid(field, "contains control characters");
        try {
            dev.spool.model.storage.ObjectLocation.parse(value.strip());   // an s3:// URI must name a bucket and a plain key
        } catch (SpoolError e) {
            throw SpoolError.invalid(field, "'" + value.strip() + "': " + e.getMessage());
        }
        return value.strip();
    }

    /** Seed 001 gives each rendition a dest_path ending in its rung; the ladder lives in their common parent. */
    private static String derivedOutput(List<OutputSpec> outputs) {
        String parent = null;
        for (OutputSpec o : outputs) {
            if (o.destPath() == null) throw SpoolError.invalid("output", "is required (or give every outputs[].dest_path)");
            if (dev.spool.model.storage.ObjectLocation.isObject(o.destPath()))   // a Path would fold s3:// into s3:/
                throw SpoolError.invalid("outputs[].dest_path", "of an s3:// ladder cannot stand in for output; give output: s3://bucket/ladder");
            Path dest = Path.of(checkedPath("outputs[].dest_path", o.destPath())).normalize();
            if (dest.getFileName() == null || !dest.getFileName().toString().equals(o.resolution()) || dest.getParent() == null)
                throw SpoolError.invalid("outputs[].dest_path", "must end in the rendition's directory, e.g. processed/movie/"
                        + o.resolution() + "/, not '" + o.destPath() + "'");
            String p = dest.getParent().toString();
            if (parent != null && !parent.equals(p))
                throw SpoolError.invalid("outputs[].dest_path", "must all share one parent directory (the ladder)");
            parent = p;
        }
        if (parent == null) throw SpoolError.invalid("output", "is required");
        return parent;
    }

    /** A dest_path given beside output must be OUTPUT/<rung>/: one ladder, one place. */
    private static void checkDestPaths(String output, List<OutputSpec> outputs) {
        boolean object = dev.spool.model.storage.ObjectLocation.isObject(output);
        Path ladder = object ? null : Path.of(output).normalize();
        for (OutputSpec o : outputs) {
            if (o.destPath() == null) continue;
            if (object) {
                String expected = output.replaceAll("/+$", "") + "/" + o.resolution();
                if (!o.destPath().replaceAll("/+$", "").equals(expected))
                    throw SpoolError.invalid("outputs[].dest_path", "must be " + expected + "/ (output/" + o.resolution() + "/), not '" + o.destPath() + "'");
                continue;
            }
            if (!Path.of(o.destPath()).normalize().equals(ladder.resolve(o.resolution())))
                throw SpoolError.invalid("outputs[].dest_path", "must be " + ladder.resolve(o.resolution()) + "/ (output/"
                        + o.resolution() + "/), not '" + o.destPath() + "'");
        }
    }

    private static void checkLabels(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) throw SpoolError.invalid("labels", "has more than " + MAX_LABELS + " entries");
        labels.forEach((k, v) -> {
            if (!k.matches("[A-Za-z0-9_.-]{1,64}")) throw SpoolError.invalid("labels", "key '" + k + "' must be 1-64 of A-Z a-z 0-9 _ . -");
            if (v == null || v.length() > 256) throw SpoolError.invalid("labels." + k, "must be a string of at most 256 characters");
            // a label is shown in terminals and the dashboard: an escape sequence in it could garble or forge what they show
            if (v.chars().anyMatch(Character::isISOControl))
                throw SpoolError.invalid("labels." + k, "contains a control character (tab, newline, escape...); labels are one line of text");
        });
    }
}
