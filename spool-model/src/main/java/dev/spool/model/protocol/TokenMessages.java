package dev.spool.model.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spool.model.SpoolError;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tokens API ({@link Api#TOKENS}): named client tokens with a role and an expiry, and the
 * rotation of the worker join token. A secret is in a reply once, when it is made; the
 * coordinator keeps only its hash.
 */
public final class TokenMessages {
    /** Lower case, digits, '.', '_' and '-', starting with a letter or digit: safe in a URL path and a terminal. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern EXPIRES = Pattern.compile("([1-9][0-9]{0,5})([mhd])");
    /** The longest expiry asked for in one step: ten years. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(3650);

    private TokenMessages() {}

    /** The name of a token, or a 400 naming {@code field}. */
    public static String checkName(String field, String name) {
        if (name == null || name.isBlank()) throw SpoolError.invalid(field, "is required");
        if (!NAME.matcher(name).matches())
            throw SpoolError.invalid(field, "must be 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, not '"
                    + printable(name) + "'");
        return name;
    }

    /** "30d", "12h" or "90m" as a duration, or a 400 naming {@code field} (the API's {@code expires_in}, the CLI's {@code --expires}). */
    public static Duration parseExpiry(String field, String text) {
        var m = text == null ? null : EXPIRES.matcher(text.strip());
        if (m == null || !m.matches())
            throw SpoolError.invalid(field, "must be a number with m, h or d (90m, 12h, 30d), not '" + printable(String.valueOf(text)) + "'");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MAX_EXPIRY) > 0) throw SpoolError.invalid(field, "must be at most 3650d; leave it out for a token that does not expire");
        return d;
    }

    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** POST /api/v1/tokens. {@code expires_in} absent: the token does not expire. */
    public record CreateToken(String name, TokenRole role, String expiresIn) {
        public CreateToken {
            checkName("name", name);
            if (role == null) throw SpoolError.invalid("role", "is required: read, submit or admin");
            if (expiresIn != null) parseExpiry("expires_in", expiresIn);
        }

        public Duration expiry() { return expiresIn == null ? null : parseExpiry("expires_in", expiresIn); }
    }

    /** The reply to a create: the secret, shown this once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenCreated(String name, TokenRole role, String token, String createdAt, String expiresAt) {}

    /** One live token as listed: never its secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String name, TokenRole role, String createdAt, String expiresAt, String lastUsedAt,
                            boolean expired) {}

    public record TokenList(List<TokenView> tokens) {}

    /** The reply to a revoke. */
    public record TokenRevoked(String name, String revokedAt) {}

    /** The reply to a join-token rotation: the new join token, shown this once. */
    public record JoinRotated(String joinToken, String rotatedAt) {}
}
