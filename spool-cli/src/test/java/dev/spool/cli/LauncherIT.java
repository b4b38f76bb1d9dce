package dev.spool.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code ./spool} launcher decides the same way every time whether the bundled ffmpeg's
 * libpulse is installed. Each test runs a copy of the launcher in a tree of its own with a stub JDK,
 * so a run takes milliseconds and builds, installs and changes nothing: {@code apt-get} (and, where
 * a test says so, {@code /sbin/ldconfig}) are shell functions given through {@code BASH_ENV}.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("spool");
    private static final String APT_GET_STUB = "apt-get() { echo \"apt-get $*\" >&2; return 100; }\n";

    @TempDir Path dir;
    private Path launcher;
    private Path jdk;

    @BeforeEach
    void layOutACopyOfTheLauncherAndAStubJdk() throws IOException {
        Path root = Files.createDirectories(dir.resolve("repo"));
        launcher = Files.copy(LAUNCHER, root.resolve("spool"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createFile(Files.createDirectories(root.resolve("spool-cli/target")).resolve("spool.jar"));
        jdk = dir.resolve("jdk");
        executable(jdk.resolve("bin/java"), """
                #!/bin/sh
                if [ "$1" = -version ]; then echo 'openjdk version "21.0.1" 2023-10-17' >&2; exit 0; fi
                echo "java ran"
                """);
        executable(jdk.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
    }

    @Test
    void anInstalledLibpulseIsFoundEvenWhenTheLoaderCacheOutlastsTheSearch() throws Exception {
        // libpulse first, then ~600 kB of other libraries: a search that stops at the first match
        // leaves ldconfig writing into a closed pipe every time
        Path env = Files.writeString(dir.resolve("env.sh"), APT_GET_STUB + """
                /sbin/ldconfig() {
                  printf '\\tlibpulse.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpulse.so.0\\n'
                  printf '\\tlibfiller%s.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libfiller.so.1\\n' {1..10000}
                }
                """);
        for (int i = 0; i < 10; i++) assertLibpulseFound(launch(env));
    }

    @Test
    void theMachinesOwnLoaderCacheGivesTheSameAnswerFiftyTimesInARow() throws Exception {
        // the search that stopped early failed here a few times in a hundred; the test above makes it certain
        assumeTrue(loaderCacheLists("libpulse.so.0 "), "libpulse0 is not installed here");
        Path env = Files.writeString(dir.resolve("env.sh"), APT_GET_STUB);
        for (int i = 0; i < 50; i++) assertLibpulseFound(launch(env));
    }

    @Test
    void aMissingLibpulseIsStillNoticed() throws Exception {
        Path env = Files.writeString(dir.resolve("env.sh"), APT_GET_STUB + """
                /sbin/ldconfig() { printf '\\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\\n'; }
                """);
        Run r = launch(env);
        if (isRoot()) {
            assertThat(r.stderr).contains("installing libpulse0",
                    "spool: could not install libpulse0 with apt-get");
            assertThat(r.exit).isEqualTo(5);
        } else {
            assertThat(r.stderr).contains("libpulse.so.0 is missing", "sudo apt-get install -y libpulse0");
            assertThat(r.exit).isZero();
        }
    }

    private static void assertLibpulseFound(Run r) {
        assertThat(r.stderr).as("stderr").doesNotContain("libpulse", "apt-get");
        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.stdout).contains("java ran");
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run launch(Path bashEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version");
        pb.environment().remove("SPOOL_FFMPEG");
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("BASH_ENV", bashEnv.toString());
        pb.redirectError(dir.resolve("stderr").toFile()).redirectOutput(dir.resolve("stdout").toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    private static boolean loaderCacheLists(String library) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
        String cache = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 && cache.contains(library);
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return uid.equals("0");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
