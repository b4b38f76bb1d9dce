package dev.spool.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The credential the coordinator gave this worker, kept in its state directory (mode 600): a
 * restarted worker presents it to prove it is the same worker, so the coordinator hands it back
 * its previous run's work at once instead of refusing it as a second process with the same id.
 */
final class SavedCredential {
    private static final String FILE = "credential";
    private final Path file;
    private final String workerId;

    SavedCredential(Path stateDir, String workerId) {
        this.file = stateDir.resolve(FILE);
        this.workerId = workerId;
    }

    /** The saved credential of this worker id, or null (none, unreadable, or another id's). */
    String read() {
        try {
            if (!Files.isRegularFile(file)) return null;
            String[] parts = Files.readString(file).strip().split(" ", 2);
            return parts.length == 2 && parts[0].equals(workerId) ? parts[1] : null;
        } catch (IOException e) {
            return null;
        }
    }

    void save(String credential) {
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(FILE + ".part");
            Files.deleteIfExists(part);
            Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(part, workerId + " " + credential + "\n");
            Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            // without it a restart waits for the previous run to fall silent: worse, but not wrong
            System.getLogger(SavedCredential.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot keep the worker's credential in " + file + ": " + e.getMessage());
        }
    }

    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale credential is refused (401) and the join token used instead
        }
    }
}
