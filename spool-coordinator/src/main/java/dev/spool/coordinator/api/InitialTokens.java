package dev.spool.coordinator.api;

import dev.spool.model.SpoolError;

/**
 * The first client (admin) and join tokens, chosen by the operator instead of generated: a
 * Kubernetes Secret or a Compose {@code .env} holds them before anything starts, so no one has to
 * read them out of the first coordinator's data directory. Used only while the database has no
 * token at all; after that they are ordinary tokens (revoked, rotated as any).
 */
public record InitialTokens(String client, String join) {
    /** Long enough to be unguessable: the 24 random bytes of a generated token are 32 characters. */
    static final int MIN_SECRET_CHARS = 32;

    public InitialTokens {
        check("--initial-token", client, "spool_c_");
        check("--initial-join-token", join, "spool_j_");
        if (client.equals(join)) throw SpoolError.invalid("--initial-join-token", "must differ from --initial-token");
    }

    /** Both or neither: one alone would leave the other to be generated and shown nowhere. */
    public static InitialTokens of(String client, String join) {
        if (client == null && join == null) return null;
        if (client == null) throw SpoolError.invalid("--initial-token", "is needed with --initial-join-token");
        if (join == null) throw SpoolError.invalid("--initial-join-token", "is needed with --initial-token");
        return new InitialTokens(client.strip(), join.strip());
    }

    private static void check(String flag, String token, String prefix) {
        if (!token.startsWith(prefix) || token.length() - prefix.length() < MIN_SECRET_CHARS
                || !token.substring(prefix.length()).matches("[A-Za-z0-9_-]+"))
            throw SpoolError.invalid(flag, "must be " + prefix + " and at least " + MIN_SECRET_CHARS
                    + " letters, digits, '-' or '_' (make one with: echo " + prefix + "$(head -c 24 /dev/urandom | base64 | tr '+/' '-_'))");
    }

    @Override
    public String toString() {
        return "InitialTokens[***]";   // never in a log
    }
}
