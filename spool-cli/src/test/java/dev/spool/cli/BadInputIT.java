package dev.spool.cli;

import dev.spool.media.ffmpeg.SampleMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Each kind of bad input gets one clear line, a documented exit code, and leaves no output behind. */
class BadInputIT {
    @TempDir Path dir;

    @Test
    void aMissingInputIsAnInputProblem() throws Exception {
        expectRefusal(List.of("run", dir.resolve("nope.mp4").toString(), out()), 3, "nope.mp4: no such file");
    }

    @Test
    void aDirectoryIsNotAVideo() throws Exception {
        expectRefusal(List.of("run", dir.toString(), out()), 3, "is a directory");
    }

    @Test
    void aZeroByteFileIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        expectRefusal(List.of("run", empty.toString(), out()), 3, "empty.mp4: is empty (0 bytes)");
    }

    @Test
    void aTextFileNamedMp4IsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "these are my notes, not a video\n".repeat(50));
        expectRefusal(List.of("run", text.toString(), out()), 3, "notes.mp4: is not a video or audio file");
    }

    @Test
    void aTruncatedMp4WithoutItsMoovAtomIsRefused() throws Exception {
        // without +faststart the index is written last, so cutting the file in half loses it
        Path whole = TestMedia.small(2);
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        expectRefusal(List.of("run", truncated.toString(), out()), 3, "moov atom");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        expectRefusal(List.of("run", TestMedia.small(1).toString(), out(), "--bogus"), 2, "Unknown option: '--bogus'");
    }

    @Test
    void anUnknownRungIsAUsageError() throws Exception {
        expectRefusal(List.of("run", TestMedia.small(1).toString(), out(), "--renditions", "720p,999p"), 2,
                "renditions has an unknown rung '999p'");
    }

    @Test
    void anUnknownCodecIsAUsageError() throws Exception {
        expectRefusal(List.of("run", TestMedia.small(1).toString(), out(), "--codec", "vp8"), 2, "codec must be h264, hevc or av1");
    }

    @Test
    void anOutputUnderAFileCannotBeWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), file.resolve("out").toString());
        assertOneLineRefusal(r, 4, "cannot create its parent directory");
    }

    @Test
    void aNonEmptyOutputIsKeptUnlessForced() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), out.toString());
        assertOneLineRefusal(r, 4, "is not empty; pass --force");
        assertThat(out.resolve("keep.txt")).hasContent("precious");
        SpoolProcess.Result forced = SpoolProcess.run("run", TestMedia.small(1).toString(), out.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(out.resolve("keep.txt")).doesNotExist();
        assertThat(out.resolve("index.m3u8")).exists();
        Verified.output(out);
    }

    @Test
    void aReadOnlyOutputFileSystemIsAnOutputProblem() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("ro"));
        assumeTrue(mount(mount, "ro,size=1m"), "needs root to mount a read-only tmpfs");
        try {
            SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), mount.resolve("out").toString());
            assertOneLineRefusal(r, 4, "read-only file system");
        } finally {
            umount(mount);
        }
    }

    @Test
    void aDiskFillingUpMidEncodeFailsCleanlyAndLeavesNothing() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tiny"));
        assumeTrue(mount(mount, "size=256k"), "needs root to mount a small tmpfs");
        try {
            Path source = TestMedia.get("big-frames.mp4", SampleMedia.Spec.video(1280, 720, 30, 3));
            SpoolProcess.Result r = SpoolProcess.run("run", source.toString(), mount.resolve("out").toString(), "--renditions", "720p");
            assertOneLineRefusal(r, 4, "disk full");
            try (var left = Files.list(mount)) {
                assertThat(left.toList()).as("nothing half-written stays on the full disk").isEmpty();
            }
        } finally {
            umount(mount);
        }
    }

    @Test
    void anFfmpegThatCannotLoadItsLibrariesIsNamedWithTheMissingLibrary() throws Exception {
        Path broken = ffmpegNeedingALibraryNoMachineHas();
        SpoolProcess.Result r = SpoolProcess.run("run", TestMedia.small(1).toString(), out(), "--ffmpeg", broken.toString());
        assertOneLineRefusal(r, 5, "cannot start: the system library libnotthere.so.");
        assertThat(r.stderr()).contains("is missing");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * Copies of the bundled ffmpeg and ffprobe whose first needed library, libavdevice.so.N, is renamed
     * to libnotthere.so.N (same length, so the ELF stays valid). The bundled binary outside its
     * library path is not enough: its own libraries are found through its $ORIGIN run path, and the
     * system libraries they need (libva, libdrm) are on any machine with Debian's ffmpeg or Chromium.
     */
    private Path ffmpegNeedingALibraryNoMachineHas() throws IOException {
        Path copies = Files.createDirectories(dir.resolve("broken-ffmpeg"));
        for (Path tool : List.of(TestMedia.TOOLS.ffmpeg(), TestMedia.TOOLS.ffprobe())) {
            byte[] binary = Files.readAllBytes(tool);
            int at = indexOf(binary, "libavdevice.so.".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(at).as(tool + " needs libavdevice").isNotNegative();
            System.arraycopy("libnotthere".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, binary, at, 11);
            Path copy = Files.write(copies.resolve(tool.getFileName()), binary);
            Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return copies.resolve("ffmpeg");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private String out() {
        return dir.resolve("out").toString();
    }

    private void expectRefusal(List<String> args, int exitCode, String message) throws Exception {
        SpoolProcess.Result r = SpoolProcess.run(args.toArray(String[]::new));
        if (exitCode == 2) {
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
            assertThat(r.stderr()).contains(message).doesNotContain("Exception", "\tat ");
        } else {
            assertOneLineRefusal(r, exitCode, message);
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static void assertOneLineRefusal(SpoolProcess.Result r, int exitCode, String message) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(exitCode);
        assertThat(r.stderrLines()).as("one clear line").singleElement().asString().startsWith("spool: ").contains(message);
        assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
    }

    private static boolean mount(Path at, String options) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static void umount(Path at) throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start().waitFor();
    }
}
