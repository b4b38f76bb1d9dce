package dev.spool.media.ffmpeg;

import dev.spool.model.SpoolError;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Unpacks the ffmpeg and ffprobe executables that ship inside org.bytedeco:ffmpeg's platform jar
 * (the one the build chose for this machine: see the ffmpeg-* profiles of the parent pom) into a
 * per-version cache directory, once. The executables find their shared libraries through the
 * platform's library path (libavutil has no RUNPATH), so the directory is handed to every process
 * we start.
 */
final class BundledFfmpeg {
    private static final String COMPLETE_MARKER = ".complete";

    private BundledFfmpeg() {}

    /** The directory holding ffmpeg and ffprobe, unpacked on first use; empty when this platform has none. */
    static Optional<Path> directory(FfmpegPlatform platform) {
        String prefix = "org/bytedeco/ffmpeg/" + platform.classifier() + "/";
        URL executable = BundledFfmpeg.class.getClassLoader().getResource(prefix + platform.executable("ffmpeg"));
        if (executable == null) return Optional.empty();
        try {
            JarURLConnection connection = (JarURLConnection) executable.openConnection();
            connection.setUseCaches(false);
            Path jar = Path.of(connection.getJarFileURL().toURI());
            Path target = cacheRoot().resolve(jarName(jar));
            if (!Files.exists(target.resolve(COMPLETE_MARKER))) unpack(jar, prefix, platform, target);
            return Optional.of(target);
        } catch (IOException | java.net.URISyntaxException | ClassCastException e) {
            throw SpoolError.environment("cannot unpack the bundled ffmpeg: " + e.getMessage());
        }
    }

    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("spool");
    }

    private static String jarName(Path jar) {
        String name = jar.getFileName().toString();
        return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    }

    /** Unpacks into a private directory and renames it into place, so concurrent first runs never see half a copy. */
    private static void unpack(Path jar, String prefix, FfmpegPlatform platform, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking-");
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(prefix)) continue;
                String leaf = name.substring(prefix.length());
                if (leaf.contains("/") || leaf.startsWith("libjni")) continue;   // JNI glue is for JavaCPP, not the executables
                Path dest = temp.resolve(leaf);
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, dest);
                }
                if (leaf.equals(platform.executable("ffmpeg")) || leaf.equals(platform.executable("ffprobe")))
                    dest.toFile().setExecutable(true, false);
            }
            Files.createFile(temp.resolve(COMPLETE_MARKER));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) throw raced;   // another process won the race
            }
        } finally {
            dev.spool.media.ffmpeg.ExitCleanup.deleteTree(temp);
        }
    }
}
