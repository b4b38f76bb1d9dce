package dev.spool.coordinator.api;

import dev.spool.model.SpoolError;
import dev.spool.coordinator.queue.JobQueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens, stored only as SHA-256 hashes. On first start the coordinator makes an admin
 * client token (named {@value #INITIAL}) and a worker join token and writes them, once, to
 * DATA/tokens (mode 600); each worker that registers receives a credential of its own. More
 * client tokens, each with a name and a role, are made through {@link TokenRoutes}.
 */
public final class Tokens {
    public static final String CLIENT = "client";
    public static final String JOIN = "join";
    public static final String WORKER = "worker";
    /** The admin token made at first start (and what the V9 migration named an earlier coordinator's client token). */
    public static final String INITIAL = "initial";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String generate(String kind) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "spool_" + kind.charAt(0) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Creates the first client and join tokens if the queue has none: the operator's, or generated
     * and written to DATA/tokens. Returns the file written, or null (tokens existed, or were given).
     */
    public static Path ensureInitial(JobQueue queue, Path dataDir, Instant now, InitialTokens given) {
        if (queue.hasTokens()) return null;
        if (given != null) {
            // false: another coordinator saved its first tokens at the same moment (from the same Secret, as a rule)
            install(queue, given.client(), given.join(), now);
            return null;
        }
        String client = generate(CLIENT);
        String join = generate(JOIN);
        Path file = dataDir.resolve("tokens");
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "# Spool tokens, shown once. Keep this file private.\n"
                    + "SPOOL_TOKEN=" + client + "\n" + "SPOOL_JOIN_TOKEN=" + join + "\n");
        } catch (IOException e) {
            throw SpoolError.output(file.toString(), "cannot write the tokens file: " + e.getMessage());
        }
        if (install(queue, client, join, now)) return file;
        // another coordinator on this database started at the same moment and made the tokens: its file holds them
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the file holds tokens that were never saved: useless, not dangerous
        }
        return null;
    }

    /** Saves the first tokens; false when another coordinator saved its first tokens first. */
    private static boolean install(JobQueue queue, String client, String join, Instant now) {
        try {
            queue.createToken(hash(client), INITIAL, dev.spool.model.protocol.TokenRole.ADMIN.wire(), now, null);
        } catch (SpoolError e) {
            if (e.code() != SpoolError.Code.CONFLICT) throw e;
            return false;
        }
        queue.saveToken(hash(join), JOIN, null, now);
        return true;
    }
}
