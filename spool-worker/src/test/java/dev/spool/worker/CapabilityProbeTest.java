package dev.spool.worker;

import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.worker.EncoderTrial.Outcome;
import dev.spool.worker.EncoderTrial.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the real bundled ffmpeg; the hardware assertions hold on any machine, GPU or not. */
class CapabilityProbeTest {
    private static final Duration TIMEOUT = CapabilityProbe.DEFAULT_TRIAL_TIMEOUT;
    private static FfmpegTools tools;
    private static Capabilities discovered;

    @BeforeAll
    static void discoverOnce() {
        tools = FfmpegTools.locate(null);
        discovered = new CapabilityProbe().discover(tools);
    }

    private static boolean noHardwareDevice() {
        return Arrays.stream(HardwareFamily.values()).allMatch(f -> f.missingDevice().isPresent());
    }

    @Test
    void theBundledSoftwareEncodersAreAdvertised() {
        assertThat(discovered.supportedCodecs()).contains("libx264", "libx265", "libsvtav1");
    }

    @Test
    void noEncoderIsAdvertisedWhoseDeviceIsAbsent() {
        Map<String, Verdict> verdicts = new CapabilityProbe().tryEncoders(tools).stream()
                .collect(Collectors.toMap(Verdict::encoder, Function.identity()));
        for (HardwareFamily family : HardwareFamily.values()) {
            if (family.missingDevice().isEmpty()) continue;
            List<String> ofFamily = CapabilityProbe.CANDIDATES.stream()
                    .filter(e -> HardwareFamily.of(e).orElse(null) == family).toList();
            assertThat(ofFamily).isNotEmpty().allSatisfy(encoder -> {
                assertThat(discovered.supportedCodecs()).doesNotContain(encoder);
                assertThat(verdicts.get(encoder).outcome()).isIn(Outcome.NO_DEVICE, Outcome.NOT_BUILT);
            });
        }
    }

    @Test
    void aMachineWithoutGpusReportsNoGpuAndOnlySoftwareEncoders() {
        assumeTrue(noHardwareDevice(), "this machine has a GPU device");
        assertThat(discovered.supportedCodecs()).allSatisfy(e -> assertThat(HardwareFamily.of(e)).isEmpty());
        assertThat(discovered.hasGpu()).isFalse();
        assertThat(discovered.gpuType()).isEqualTo(Capabilities.NO_GPU);
    }

    @Test
    void theHostIsDescribed() {
        assertThat(discovered.cpuCores()).isPositive().isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(discovered.memoryBytes()).isPositive();
        assertThat(discovered.ffmpegVersion()).startsWith("8.");
        assertThat(discovered.encoderBuild()).as("the same ffmpeg, the same fingerprint")
                .startsWith(discovered.ffmpegVersion() + "-").hasSize(discovered.ffmpegVersion().length() + 13)
                .isEqualTo(CapabilityProbe.ffmpegBuild(tools).fingerprint());
        assertThat(discovered.cpuArch()).isNotBlank().isNotEqualTo("amd64");
        assertThat(discovered.os()).isNotBlank();
        assertThat(discovered.maxResolution()).isEqualTo(Capabilities.maxResolutionFor(
                discovered.cpuCores(), discovered.memoryBytes(), discovered.hasGpu()));
    }

    @Test
    void hardwareEncodersAreListedEvenWhenTheyCannotWork() {
        assertThat(CapabilityProbe.builtEncoders(tools))
                .contains("libx264", "libx265", "libsvtav1", "libvpx-vp9", "h264_nvenc", "h264_vaapi", "h264_qsv")
                .doesNotContain("=", "------");
    }

    @Test
    void anEncoderThatIsBuiltInButFailsItsTestEncodeIsNotAdvertised() {
        assertThat(EncoderTrial.plain("libx264").run(tools, TIMEOUT).works()).isTrue();

        Verdict impossible = new EncoderTrial("libx264", List.of(), List.of("-profile:v", "no-such-profile")).run(tools, TIMEOUT);

        assertThat(impossible.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(impossible.reason()).contains("no-such-profile");
    }

    @Test
    void nvencWithoutAnNvidiaDriverFailsItsTestEncode() {
        assumeTrue(HardwareFamily.NVIDIA.missingDevice().isPresent(), "this machine has an NVIDIA device");

        Verdict verdict = HardwareFamily.NVIDIA.trial("h264_nvenc").run(tools, TIMEOUT);

        assertThat(verdict.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(verdict.reason()).isNotBlank().doesNotStartWith("[");
    }

    @Test
    void aTestEncodeThatOutlastsItsTimeoutIsKilledAndNotAdvertised() {
        // realtime=speed=0.01 stretches five frames at 30 fps to about 17 seconds
        EncoderTrial slow = new EncoderTrial("libx264", List.of(), List.of("-vf", "realtime=speed=0.01"));
        long started = System.nanoTime();

        Verdict verdict = slow.run(tools, Duration.ofMillis(500));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(verdict.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))).isEmpty();
    }

    @Test
    void memTotalIsReadInBytes() throws Exception {
        var meminfo = java.nio.file.Files.createTempFile("meminfo", "");
        try {
            java.nio.file.Files.writeString(meminfo, "MemFree:  100 kB\nMemTotal:       2048 kB\n");
            assertThat(CapabilityProbe.memTotal(meminfo)).isEqualTo(2048L * 1024);
            assertThat(CapabilityProbe.memTotal(meminfo.resolveSibling("no-such-meminfo"))).isZero();
        } finally {
            java.nio.file.Files.delete(meminfo);
        }
    }
}
