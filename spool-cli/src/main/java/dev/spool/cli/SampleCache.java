package dev.spool.cli;

import java.nio.file.Path;

/** Where generated sample and benchmark clips are kept between runs ($XDG_CACHE_HOME/spool/samples). */
final class SampleCache {
    private SampleCache() {}

    static Path directory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = base.resolve("spool").resolve("samples");
        dir.toFile().mkdirs();
        return dir;
    }
}
