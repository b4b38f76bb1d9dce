package dev.spool.media.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the file system under a directory has run out of room. */
final class DiskSpace {
    /** Less than this left means a write has almost certainly failed for lack of space. */
    private static final long NEARLY_FULL_BYTES = 256 * 1024;

    private DiskSpace() {}

    static boolean isFull(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException e) {
            return false;
        }
    }
}
