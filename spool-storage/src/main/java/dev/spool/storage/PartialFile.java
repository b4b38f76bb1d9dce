package dev.spool.storage;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A download in progress and the version of the source its bytes came from (an ETag, an HTTP
 * validator), kept beside it: a download resumes only against that same version, so two versions
 * of a file are never spliced, even across a worker restart.
 */
final class PartialFile {
    private PartialFile() {}

    /** Keeps what {@code file} holds if it came from {@code version}; otherwise empties it. Returns the bytes kept. */
    static long keepIfSameVersion(Path file, String version) {
        Path sidecar = sidecar(file);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String had = Files.exists(sidecar) ? Files.readString(sidecar) : null;
            if (version == null || version.isEmpty() || !version.equals(had)) {
                Files.deleteIfExists(file);
                Files.writeString(sidecar, version == null ? "" : version);
                return 0;
            }
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw SpoolError.output(file.toString(), "cannot be written: " + e.getMessage());
        }
    }

    /** The download is whole: the version record goes. */
    static void finished(Path file) {
        try {
            Files.deleteIfExists(sidecar(file));
        } catch (IOException ignored) {
            // a stale record only makes a later download of the same name start over
        }
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + ".version");
    }
}
