package dev.spool.media.commit;

import dev.spool.model.storage.CommitGate;
import dev.spool.media.ffmpeg.ExitCleanup;
import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private directory beside OUT where a run writes everything; on success it is renamed into
 * place in one step, so a reader sees either no output or a complete one. If the run fails or is
 * stopped, the staging directory is deleted (at exit, by {@link ExitCleanup}, on a signal); one
 * left by a killed process is removed by the next run in the same place.
 */
public final class StagedOutput implements AutoCloseable {
    // only staging directories are cleaned up after others: a "-old-" one may be the last copy of an output.
    // The host is in the name: on a shared disk a PID says nothing about another machine's processes.
    private static final Pattern STAGING_NAME = Pattern.compile("\\.(.+)\\.spool-staging-(?:([A-Za-z0-9-]+)-)?(\\d+)-[0-9a-f]{8}");
    private static final String HOST = hostName();

    private final Path out;
    private final Path staging;
    /** Another process staged it (a worker that was granted the commit and vanished): never ours to delete. */
    private final boolean adopted;
    private boolean committed;

    private StagedOutput(Path out, Path staging, boolean adopted) {
        this.out = out;
        this.staging = staging;
        this.adopted = adopted;
    }

    /**
     * The staged output of another process, granted its commit, that this one is to finish: it must
     * be a staging directory of {@code requested}; null when it is not there (or not one).
     */
    public static StagedOutput adopt(Path requested, Path staging) {
        Path out = requested.toAbsolutePath().normalize();
        Path candidate = staging.toAbsolutePath().normalize();
        Matcher m = STAGING_NAME.matcher(candidate.getFileName().toString());
        if (!candidate.getParent().equals(out.getParent()) || !m.matches() || !m.group(1).equals(out.getFileName().toString())
                || !Files.isDirectory(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return null;
        return new StagedOutput(out, candidate, true);
    }

    /** Checks OUT can be written (and is empty unless {@code force}) and creates the staging directory. */
    public static StagedOutput create(Path requested, boolean force) {
        Path out = requested.toAbsolutePath().normalize();
        String name = requested.toString();
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) throw SpoolError.output(name, "exists and is not a directory");
            if (!force && !isEmpty(out)) throw SpoolError.output(name, "is not empty; pass --force to replace it");
        }
        Path parent = out.getParent();
        if (parent == null) throw SpoolError.output(name, "cannot be a file system root");
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw SpoolError.output(name, "cannot create its parent directory: " + reason(e));
        }
        removeAbandoned(parent, out.getFileName().toString());
        Path staging = parent.resolve("." + out.getFileName() + ".spool-staging-" + HOST + "-" + ProcessHandle.current().pid()
                + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw SpoolError.output(name, "cannot be written: " + reason(e));
        }
        ExitCleanup.track(staging);
        return new StagedOutput(out, staging, false);
    }

    public Path directory() { return staging; }

    public Path target() { return out; }

    /**
     * Moves the staged output into place once {@code gate} allows it (and checks the gate again just
     * before the rename); refused, nothing moves.
     */
    public synchronized void commit(CommitGate gate) {
        gate.acquire(staging);
        gate.check();
        commit();
    }

    /** Moves the staged output into place: a rename, replacing an empty OUT, or swapping out a forced one. */
    public synchronized void commit() {
        Path old = staging.resolveSibling(staging.getFileName().toString().replace("-staging-", "-old-"));
        try {
            if (Files.exists(out) && !isEmpty(out)) {
                Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);   // put the previous output back
                    throw e;
                }
                // only now is the previous output expendable; a crash before this line leaves it beside OUT
                ExitCleanup.deleteQuietly(old);
            } else {
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);   // rename(2) replaces an empty directory
                // finishing another process's commit: it may have moved the previous output aside and vanished
                if (adopted) ExitCleanup.deleteQuietly(old);
            }
            committed = true;
            ExitCleanup.untrack(staging);
        } catch (IOException e) {
            throw SpoolError.output(out.toString(), "cannot move the finished output into place: " + reason(e));
        }
    }

    @Override
    public synchronized void close() {
        if (committed || adopted) return;   // an adopted staging is left for the next attempt when this one fails
        ExitCleanup.deleteQuietly(staging);
        ExitCleanup.untrack(staging);
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw SpoolError.output(dir.toString(), "cannot be listed: " + reason(e));
        }
    }

    /** Staging directories of the same OUT whose process is gone (killed with SIGKILL, power loss). */
    private static void removeAbandoned(Path parent, String outName) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, ".*.spool-*")) {
            for (Path entry : entries) {
                Matcher m = STAGING_NAME.matcher(entry.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(outName)) continue;
                if (m.group(2) != null && !m.group(2).equals(HOST)) continue;   // another machine's: its PIDs are not ours
                long pid = Long.parseLong(m.group(3));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                ExitCleanup.deleteQuietly(entry);
            }
        } catch (IOException | RuntimeException ignored) {
            // cleaning up after others is a courtesy; the run itself does not depend on it
        }
    }

    /** This machine's name as it may appear in a file name. */
    private static String hostName() {
        String name;
        try {
            name = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = System.getenv().getOrDefault("HOSTNAME", "host");
        }
        String clean = name.replaceAll("[^A-Za-z0-9-]", "-");
        return clean.isEmpty() ? "host" : clean.substring(0, Math.min(clean.length(), 63));
    }

    /** Why a file could not be written, in words a user reads (no exception type names). */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Read-only file system")) return "read-only file system";
        if (message.contains("No space left")) return "no space left on device";
        return message;
    }
}
