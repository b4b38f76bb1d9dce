package dev.spool.model.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spool.model.encode.EncodePlan;
import dev.spool.model.net.RedactedUrl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the coordinator stores it and hands it to workers: the fields of the {@link JobSpec} it
 * was submitted as, their defaults filled in, and the encode plan worked out at submit. Nothing is
 * checked when it is read back: the request was checked at the API under the rules of its day, and
 * a rule made stricter since must not make a stored job unreadable (at claim time, the first such
 * job would block every claim). {@code specVersion} says what the record carries:
 * {@value #FIRST} (absent) the request's fields alone, as Spool wrote them before the plan was
 * stored; {@value #CURRENT} those and {@code encode}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)   // a newer coordinator's additions do not stop an older reader
public record JobRecord(Integer specVersion, String input, String output, List<OutputSpec> outputs, HlsSettings hlsSettings,
                        String format, String segmentFormat, Priority priority, Map<String, String> labels,
                        WebhookSpec webhook, String idempotencyKey, Integer pieceSeconds, String videoBitrate,
                        String audioCodec, String audioBitrate, EncodePlan encode) {
    public static final int FIRST = 1;
    public static final int CURRENT = 2;

    public JobRecord {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        hlsSettings = hlsSettings == null ? HlsSettings.defaults() : hlsSettings;
        format = format == null ? "hls" : format;
        segmentFormat = segmentFormat == null ? "fmp4" : segmentFormat;
        priority = priority == null ? JobSpec.DEFAULT_PRIORITY : priority;
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        pieceSeconds = pieceSeconds == null ? 0 : pieceSeconds;   // written before split jobs: it runs whole
    }

    /** What this record carries ({@value #FIRST} when it was written without a version). */
    public int version() {
        return specVersion == null ? FIRST : specVersion;
    }

    /**
     * How the job is encoded: the plan stored at submit, or for a record written before plans were
     * stored, the plan its fields give now (refused, naming the field, if today's rules reject them:
     * that fails this one job on its worker, it does not stop the claim).
     */
    public EncodePlan plan() {
        return encode != null ? encode : EncodePlan.of(JobSpec.encodeOptions(this));
    }

    /** Whether the job may be cut into pieces for several workers (0 asks for one piece, always). */
    public boolean splittable() {
        return pieceSeconds > 0;
    }

    /** The record as others may see it: the webhook's signing secret removed, and its URL's path secrets masked. */
    public JobRecord withoutSecrets() {
        WebhookSpec hook = webhook == null ? null
                : new WebhookSpec(RedactedUrl.of(webhook.url()), null, webhook.events(), webhook.format());
        return new JobRecord(specVersion, input, output, outputs, hlsSettings, format, segmentFormat, priority, labels, hook,
                idempotencyKey, pieceSeconds, videoBitrate, audioCodec, audioBitrate, encode);
    }

    /** The request's fields alone (no version, no plan): what the job view shows and a worker older than protocol 5 ({@code Api.PLAN_PROTOCOL}) reads. */
    public JobRecord asked() {
        return new JobRecord(null, input, output, outputs, hlsSettings, format, segmentFormat, priority, labels, webhook,
                idempotencyKey, pieceSeconds, videoBitrate, audioCodec, audioBitrate, null);
    }
}
