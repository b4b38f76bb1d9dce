package dev.spool.files;

import dev.spool.job.ExitCleanup;
import dev.spool.job.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The files the coordinator keeps for machines with no shared disk ({@code spool://} keys):
 * inputs clients upload, ladders and pieces workers write. Plain files under DATA/files; a file
 * is written beside its place and renamed into it when whole and its MD5 checked, so a reader
 * never sees half an upload. Its ETag is its size and modification time: a new version has a new one.
 */
public final class FileStore {
    private static final String PARTIAL = ".spool-upload-";
    private final Path root;

    public FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A stored file, if it exists. */
    public record Stored(Path file, long size, String etag) {}

    public java.util.Optional<Stored> find(String key) {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) return java.util.Optional.empty();
        try {
            long size = Files.size(file);
            return java.util.Optional.of(new Stored(file, size, "\"" + size + "-" + Files.getLastModifiedTime(file).toMillis() + "\""));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Stores a body under {@code key}; {@code contentMd5} (base64, may be null) is checked before the file becomes visible. */
    public long put(String key, InputStream body, String contentMd5) {
        Path file = resolve(key);
        Path partial = file.resolveSibling(PARTIAL + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(file.getParent());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long size = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = body.read(buffer)) > 0; size += n) {
                    out.write(buffer, 0, n);
                    md5.update(buffer, 0, n);
                }
            }
            if (contentMd5 != null && !contentMd5.equals(Base64.getEncoder().encodeToString(md5.digest())))
                throw SpoolError.invalid("Content-MD5", "does not match the bytes received for " + key + "; nothing was stored");
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } catch (IOException e) {
            throw SpoolError.storage("cannot store " + key + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        } finally {
            ExitCleanup.deleteQuietly(partial);
        }
    }

    /** Keys under a prefix ("directory"), uploads in progress left out. */
    public List<String> list(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(PARTIAL))
                    .map(f -> root.relativize(f).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw SpoolError.storage("cannot list " + prefix + ": " + e.getMessage());
        }
    }

    public boolean delete(String key) {
        try {
            return Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw SpoolError.storage("cannot delete " + key + ": " + e.getMessage());
        }
    }

    /** A key's file, which must lie inside the store (keys are checked, this is the second line). */
    private Path resolve(String key) {
        if (!key.matches("[A-Za-z0-9._/-]*") || key.startsWith("/") || key.contains("//")
                || List.of(key.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals("..")))
            throw SpoolError.invalid("key", "'" + key + "' is not a file key (A-Z a-z 0-9 . _ - and /, no . or .. parts)");
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root)) throw SpoolError.invalid("key", "'" + key + "' leads outside the store");
        return file;
    }
}
