package dev.spool.storage;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** MD5, the checksum every S3-compatible store and the coordinator's file store understand (Content-MD5, ETags). */
final class Md5 {
    private Md5() {}

    static MessageDigest create() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    static byte[] of(byte[] bytes) {
        return create().digest(bytes);
    }

    /** A whole file's MD5. */
    static byte[] of(Path file) {
        MessageDigest md5 = create();
        try {
            feed(md5, file, Long.MAX_VALUE);
        } catch (IOException e) {
            throw SpoolError.output(file.toString(), "cannot be read: " + e.getMessage());
        }
        return md5.digest();
    }

    /** Content-MD5's form: base64. */
    static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /** Feeds the first {@code length} bytes of a file (what a resumed download already holds) to a digest. */
    static void feed(MessageDigest md5, Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) break;
                md5.update(buffer, 0, n);
                left -= n;
            }
        }
    }
}
