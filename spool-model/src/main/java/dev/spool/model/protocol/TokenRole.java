package dev.spool.model.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.spool.model.SpoolError;

import java.util.Locale;

/**
 * What a named client token may do: {@code read} looks (jobs, workers, queue, files: dashboards
 * and scrapers), {@code submit} also submits, cancels, retries and uploads, {@code admin} also
 * manages tokens. Written in lower case on the wire, in the database and on the command line.
 */
public enum TokenRole {
    ADMIN, SUBMIT, READ;

    /** The role named {@code text}, or a 400 naming {@code field} (the API's {@code role}, the CLI's {@code --role}). */
    public static TokenRole parse(String field, String text) {
        if (text != null) {
            for (TokenRole r : values()) if (r.wire().equals(text.strip().toLowerCase(Locale.ROOT))) return r;
        }
        throw SpoolError.invalid(field, "must be read, submit or admin, not '" + text + "'");
    }

    @JsonCreator
    static TokenRole fromJson(String text) {
        return parse("role", text);
    }

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** How a refusal describes a token of this role ("read-only", "a submit token", "an admin token"). */
    public String described() {
        return switch (this) {
            case READ -> "read-only";
            case SUBMIT -> "a submit token";
            case ADMIN -> "an admin token";
        };
    }
}
