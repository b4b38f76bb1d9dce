package dev.spool.model.job;

import dev.spool.model.SpoolError;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One rendition a client asks for, in seed 001's words: a resolution (a rung name such as 720p),
 * a bitrate cap ("2500k", "4M"), a codec or encoder, and optionally where that rendition goes.
 * {@link JobSpec} checks it at submit; read back from a stored {@link JobRecord} it is taken as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(String resolution, String bitrate, String codec, String destPath) {
    public OutputSpec {
        resolution = resolution == null ? null : resolution.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Refuses a rendition without a resolution or with a bitrate that is not 2500k or 4M (at submit). */
    void check() {
        if (resolution == null || resolution.isBlank()) throw SpoolError.invalid("outputs[].resolution", "is required");
        if (bitrate != null && !bitrate.strip().matches("\\d{2,6}[kK]|\\d{1,3}(\\.\\d{1,3})?[mM]"))
            throw SpoolError.invalid("outputs[].bitrate", "must look like 2500k or 4M, not '" + bitrate + "'");
    }

    /** The bitrate cap in kb/s, or 0 when the ladder's default applies. */
    public int bitrateKbps() {
        if (bitrate == null) return 0;
        String b = bitrate.strip().toLowerCase(java.util.Locale.ROOT);
        double value = Double.parseDouble(b.substring(0, b.length() - 1));
        return (int) Math.round(b.endsWith("m") ? value * 1000 : value);
    }
}
