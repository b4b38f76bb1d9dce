package dev.spool.storage;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories a worker may read inputs from and write ladders to (a NAS mount, a media
 * folder). A path is resolved with every symlink followed, so neither ".." nor a link can lead
 * out of them. With no roots configured every path is allowed (a single-user machine).
 */
public record LocalRoots(List<Path> roots) {
    public LocalRoots {
        roots = roots.stream().map(LocalRoots::real).toList();
    }

    public static LocalRoots unrestricted() {
        return new LocalRoots(List.of());
    }

    public boolean restricted() { return !roots.isEmpty(); }

    /** An input file inside the roots (relative paths are taken from the first root). */
    public Path input(String path) {
        Path p = absolute(path);
        if (!restricted()) return p;
        Path real = Files.exists(p) ? real(p) : p.normalize();
        return inside(real, path, "input");
    }

    /** An output directory whose nearest existing ancestor, links followed, is inside the roots. */
    public Path output(String path) {
        Path p = absolute(path).normalize();
        if (!restricted()) return p;
        Path existing = p;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw outside("output", path);
        Path real = real(existing).resolve(existing.relativize(p));
        return inside(real, path, "output");
    }

    private Path absolute(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || !restricted()) return p.toAbsolutePath();
        return roots.get(0).resolve(p);
    }

    private Path inside(Path real, String original, String field) {
        if (field.equals("output") && roots.contains(real))
            throw SpoolError.invalid("output", "'" + original + "' is a root itself; give a directory inside it");
        for (Path root : roots) if (real.startsWith(root)) return real;
        throw outside(field, original);
    }

    /**
     * Names the path as the job gave it and nothing of the worker's: its roots and where a link
     * leads are the worker's business, and the message reaches whoever submitted the job.
     */
    private static SpoolError outside(String field, String asGiven) {
        return SpoolError.invalid(field, "'" + asGiven + "' is outside the worker's roots (the directories its --root allows)");
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
