package dev.spool.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image installs what the bundled ffmpeg links against: every DT_NEEDED of its executables and
 * libraries (read from the ELF files in the ffmpeg jar itself) is shipped in the jar, is part of the
 * JRE base image, or comes from a package the Dockerfile installs; and no installed package is one
 * nothing needs. A new ffmpeg build that links one more library fails here, not in a container.
 */
class FfmpegLibrariesTest {
    /** In every Ubuntu 24.04 image (libc6, libstdc++6, libgcc-s1, zlib1g: apt itself needs them). */
    private static final Set<String> BASE = Set.of("libc.so.6", "libm.so.6", "libmvec.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
            "libpthread.so.0", "libdl.so.2", "librt.so.1", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1");
    /** Ubuntu 24.04's package for each library the base lacks. */
    private static final Map<String, String> PACKAGES = Map.of(
            "libpulse.so.0", "libpulse0",
            "libasound.so.2", "libasound2t64",
            "libxcb.so.1", "libxcb1",
            "libxcb-shm.so.0", "libxcb-shm0",
            "libudev.so.1", "libudev1",
            // the arm64 build links the system's VA-API and DRM (the x86_64 jar ships its own)
            "libva.so.2", "libva2",
            "libva-drm.so.2", "libva-drm2",
            "libdrm.so.2", "libdrm2");

    /** The image's architectures: the bundled build the image's Maven stage picks on each. */
    private static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-arm64");

    @Test
    void everyLibraryTheBundledFfmpegNeedsIsInTheJarTheBaseOrAnInstalledPackage() throws IOException {
        Set<String> installed = new TreeSet<>();
        for (String platform : PLATFORMS) installed.addAll(packagesFor(platform));
        assertThat(DockerfileRules.FFMPEG_PACKAGES).containsExactlyInAnyOrderElementsOf(installed);
    }

    /** The packages the bundled ffmpeg of one platform needs beyond its jar and the base image. */
    private static Set<String> packagesFor(String platform) throws IOException {
        Path jar = ffmpegJar(platform);
        Set<String> shipped = new TreeSet<>();
        Map<String, String> needed = new TreeMap<>();   // library -> the first file that needs it
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                if (entry.isDirectory() || !entry.getName().contains("/" + platform + "-")) continue;
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (!isElf(bytes)) continue;
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                shipped.add(name);
                for (String library : neededLibraries(bytes)) needed.putIfAbsent(library, name);
            }
        }
        assertThat(shipped).as("the %s jar's ELF files", platform).contains("ffmpeg", "ffprobe");
        Set<String> installed = new TreeSet<>();
        for (var e : needed.entrySet()) {
            String library = e.getKey();
            if (shipped.contains(library) || BASE.contains(library)) continue;
            assertThat(PACKAGES).as("%s (needed by %s on %s) is neither in the jar nor in the base image: which package has it?",
                    library, e.getValue(), platform).containsKey(library);
            installed.add(PACKAGES.get(library));
        }
        return installed;
    }

    private static Path ffmpegJar(String platform) {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            if (Path.of(entry).getFileName().toString().matches("ffmpeg-.*-" + platform + ".*\\.jar")) return Path.of(entry);
        throw new AssertionError("the " + platform + " ffmpeg jar is not on the test class path");
    }

    private static boolean isElf(byte[] b) {
        return b.length > 64 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** The DT_NEEDED names of a 64-bit little-endian ELF file: its SHT_DYNAMIC section, read through the string table it links to. */
    static Set<String> neededLibraries(byte[] bytes) {
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.get(4) != 2 || elf.get(5) != 1) throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        long sectionHeaders = elf.getLong(0x28);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x3A));
        int count = Short.toUnsignedInt(elf.getShort(0x3C));
        Set<String> needed = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            int header = (int) (sectionHeaders + (long) i * entrySize);
            if (elf.getInt(header + 4) != 6) continue;   // SHT_DYNAMIC
            int offset = (int) elf.getLong(header + 0x18);
            int size = (int) elf.getLong(header + 0x20);
            int strings = (int) elf.getLong((int) (sectionHeaders + (long) elf.getInt(header + 0x28) * entrySize) + 0x18);
            for (int at = offset; at + 16 <= offset + size; at += 16) {
                long tag = elf.getLong(at);
                if (tag == 0) break;                       // DT_NULL
                if (tag == 1) needed.add(string(bytes, strings + (int) elf.getLong(at + 8)));   // DT_NEEDED
            }
        }
        return needed;
    }

    private static String string(byte[] bytes, int start) {
        int end = start;
        while (bytes[end] != 0) end++;
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }
}
