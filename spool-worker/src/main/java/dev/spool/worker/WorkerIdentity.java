package dev.spool.worker;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Which worker this process is, and its state directory (its cache: inputs, scratch, the saved
 * credential). The directory is locked for the life of the process, so two live workers on one
 * host never share it, nor the id it stands for. Without {@code --id} the first worker on a host
 * is named after the host and the next ones HOST-2, HOST-3..., each taking the first whose
 * directory is free, so a restart finds its name again; with {@code --cache} but no {@code --id},
 * the name is made once (HOST-xxxxxx) and kept in that directory.
 */
public final class WorkerIdentity {
    /** A worker's name and where it keeps its state. */
    public record Claimed(String id, Path stateDir) {}

    static final String ID_FILE = "worker-id";
    private static final String LOCK_FILE = ".lock";
    private static final int MAX_PER_HOST = 64;
    /** The locks this process holds: released by the operating system when it exits, however it exits. */
    private static final List<FileLock> HELD = new ArrayList<>();

    private WorkerIdentity() {}

    /** The directory a worker of this name uses by default. */
    public static Path defaultDir(Path cacheRoot, String id) {
        return cacheRoot.resolve("worker-" + id);
    }

    public static Claimed claim(String explicitId, Path explicitDir, Path cacheRoot, String hostName) {
        if (explicitId != null) {
            Path dir = explicitDir != null ? explicitDir : defaultDir(cacheRoot, safe(explicitId));
            if (!lock(dir))
                throw explicitDir != null ? inUse("--cache", dir)
                        : SpoolError.invalid("--id", explicitId + " is already used by another worker on this host (its state directory "
                                + dir + " is locked); give this one another --id");
            return new Claimed(explicitId, dir);
        }
        String host = safe(hostName);
        if (explicitDir != null) {
            if (!lock(explicitDir)) throw inUse("--cache", explicitDir);
            return new Claimed(keptId(explicitDir, host), explicitDir);
        }
        for (int n = 1; n <= MAX_PER_HOST; n++) {
            String id = n == 1 ? host : host + "-" + n;
            Path dir = defaultDir(cacheRoot, id);
            if (lock(dir)) return new Claimed(id, dir);
        }
        throw SpoolError.invalid("--id", "is needed: " + MAX_PER_HOST + " workers already run on this host under its name");
    }

    private static String keptId(Path dir, String host) {
        Path file = dir.resolve(ID_FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file).strip();
                if (!kept.isEmpty()) return kept;
            }
            byte[] suffix = new byte[3];
            new java.security.SecureRandom().nextBytes(suffix);
            String id = host + "-" + HexFormat.of().formatHex(suffix);
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw SpoolError.output(file.toString(), "cannot keep the worker's name: " + e.getMessage());
        }
    }

    /** True when this process now holds the directory's lock; false when another live process does. */
    private static boolean lock(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return false;
            }
            synchronized (HELD) {
                HELD.add(lock);
            }
            return true;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false;   // this process holds it already
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot use the worker's state directory: " + e.getMessage());
        }
    }

    private static SpoolError inUse(String flag, Path dir) {
        return SpoolError.invalid(flag, dir + " is in use by another worker on this host; give each worker its own");
    }

    /** A host or --id name as a worker id and directory name: letters, digits, '.', '_' and '-'. */
    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) s = "w" + s;
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
