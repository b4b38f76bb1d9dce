package dev.spool.media.ffmpeg;

import java.util.Locale;
import java.util.Optional;

/**
 * The platforms org.bytedeco:ffmpeg publishes a GPL build for at Spool's version (8.1.2-1.5.14 on
 * Maven Central: linux-x86_64, linux-arm64, windows-x86_64, macosx-x86_64, macosx-arm64; there is no
 * 32-bit ARM build, so a Raspberry Pi needs its 64-bit OS), and what differs between them: the name
 * of the executables and the variable through which they find their shared libraries. One version
 * on every machine matters: the pieces of a split job, encoded by different workers, must join.
 *
 * @param classifier  the jar's Maven classifier, also its resource folder (org/bytedeco/ffmpeg/CLASSIFIER/)
 * @param exeSuffix   ".exe" on Windows
 * @param libraryPath the variable the loader searches: LD_LIBRARY_PATH, DYLD_LIBRARY_PATH, or PATH on Windows
 */
public record FfmpegPlatform(String classifier, String exeSuffix, String libraryPath) {
    /** The platform of this JVM, if a bundled build exists for it. */
    public static Optional<FfmpegPlatform> current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform for an {@code os.name} and {@code os.arch} as the JVM reports them. */
    public static Optional<FfmpegPlatform> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
        if (arch == null) return Optional.empty();
        if (os.startsWith("linux")) return Optional.of(new FfmpegPlatform("linux-" + arch + "-gpl", "", "LD_LIBRARY_PATH"));
        if (os.startsWith("mac") || os.startsWith("darwin"))
            return Optional.of(new FfmpegPlatform("macosx-" + arch + "-gpl", "", "DYLD_LIBRARY_PATH"));
        if (os.startsWith("windows") && arch.equals("x86_64")) return Optional.of(new FfmpegPlatform("windows-x86_64-gpl", ".exe", "PATH"));
        return Optional.empty();
    }

    /** The file name of a tool here: {@code ffmpeg}, or {@code ffmpeg.exe} on Windows. */
    public String executable(String tool) {
        return tool + exeSuffix;
    }
}
