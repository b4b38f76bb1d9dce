package dev.spool.coordinator.files;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * never sees half an upload; an upload stops before the disk is full (the database lives on it too).
 */
public final class FileStore {
    private static final String PARTIAL = ".spool-upload-";
    /** An upload stops while this much space is left, so the database beside the files can still write. */
    static final long FREE_SPACE_RESERVE = 2L << 30;
    private final Path root;

    public FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        sweepPartials();
    }

    /** Uploads a crash interrupted: at start no upload is in flight, so every partial file is one. */
    private void sweepPartials() {
        if (!Files.isDirectory(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(f -> f.getFileName().toString().startsWith(PARTIAL)).forEach(FileStore::deleteQuietly);
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover only wastes space
        }
    }

    /** A file opened for reading, and its version (ETag) taken from the open file. */
    public record Opened(FileChannel channel, String etag) {}

    /** Opens a stored file; its ETag is its size, inode and modification time: every rename into place makes a new one. */
    public java.util.Optional<Opened> open(String key) {
        Path file = resolve(key);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                channel.close();
                return java.util.Optional.empty();
            }
            String version = channel.size() + "-" + attributes.fileKey() + "-" + attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return java.util.Optional.of(new Opened(channel, "\"" + version.replaceAll("[^A-Za-z0-9-]", "") + "\""));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(file)) return java.util.Optional.empty();
            throw SpoolError.storage("cannot read " + key + ": " + e.getMessage());
        }
    }

    /** Stores a body under {@code key}; {@code contentMd5} (base64, may be null) is checked before the file becomes visible. */
    public long put(String key, InputStream body, String contentMd5) {
        Path file = resolve(key);
        if (Files.isDirectory(file))
            throw new SpoolError(SpoolError.Code.CONFLICT, "key", "spool://" + key + " is a directory of other files");
        Path partial = file.resolveSibling(PARTIAL + UUID.randomUUID().toString().substring(0, 8));
        try {
            for (Path p = file.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent())
                if (Files.isRegularFile(p)) throw new SpoolError(SpoolError.Code.CONFLICT, "key", "spool://" + root.relativize(p) + " is a file, not a directory");
            Files.createDirectories(file.getParent());
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long size = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = body.read(buffer)) > 0; size += n) {
                    out.write(buffer, 0, n);
                    md5.update(buffer, 0, n);
                    if ((size & ((64L << 20) - 1)) < n && Files.getFileStore(partial).getUsableSpace() < FREE_SPACE_RESERVE)
                        throw new SpoolError(SpoolError.Code.OUTPUT_UNWRITABLE, "body", "the coordinator's disk is nearly full ("
                                + (FREE_SPACE_RESERVE >> 30) + " GiB are kept free for its database); " + key + " was not stored");
                }
            }
            // bytes damaged on the way: sending them again can help (503, retried), nothing was stored
            if (contentMd5 != null && !contentMd5.equals(Base64.getEncoder().encodeToString(md5.digest())))
                throw SpoolError.storage("the bytes received for " + key + " do not match their Content-MD5; nothing was stored, send them again");
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return size;
        } catch (IOException e) {
            throw SpoolError.storage("cannot store " + key + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        } finally {
            deleteQuietly(partial);
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
                || List.of(key.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals("..") || s.startsWith(PARTIAL)))
            throw SpoolError.invalid("key", "'" + key + "' is not a file key (A-Z a-z 0-9 . _ - and /, no . or .. parts)");
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root)) throw SpoolError.invalid("key", "'" + key + "' leads outside the store");
        return file;
    }

    /** Removes an upload's partial file; one left behind is removed again at the next start. */
    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // left for the sweep at the next start
        }
    }
}
