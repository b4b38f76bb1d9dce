package dev.spool.media.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spool.media.encode.LadderCommand;
import dev.spool.media.ffmpeg.FfmpegTools;
import dev.spool.media.ffmpeg.InputSandbox;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.media.plan.LadderPlan;
import dev.spool.model.SpoolError;
import dev.spool.model.encode.EncodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playlist or list given as a job's input would make ffmpeg open what it names, wherever that
 * is: the sandbox's options make the real ffprobe and ffmpeg refuse it by its content, whatever
 * its name, before anything it names is read.
 */
class InputSandboxTest {
    @TempDir static Path dir;
    static FfmpegTools tools;
    static Path secret;
    static Path root;

    @BeforeAll
    static void mediaOutsideTheRoot() throws Exception {
        tools = FfmpegTools.locate(null);
        Files.createDirectories(dir.resolve("outside"));
        secret = SampleMedia.generate(tools, SampleMedia.Spec.video(160, 90, 10, 2), dir.resolve("outside").resolve("secret.mp4"));
        root = Files.createDirectories(dir.resolve("root"));
    }

    private static String hlsNaming(Path media) {
        return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + media + "\n#EXT-X-ENDLIST\n";
    }

    private static SpoolError probeRefuses(Path input) {
        return catchThrowableOfType(SpoolError.class, () -> new Probe(tools).probe(input));
    }

    @Test
    void anHlsPlaylistNamingAVideoOutsideTheRootIsRefusedAsAPlaylistNamingTheInput() throws Exception {
        Path playlist = Files.writeString(root.resolve("evil.m3u8"), hlsNaming(secret));
        SpoolError error = probeRefuses(playlist);
        assertThat(error.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
        assertThat(error.getMessage()).contains(playlist.toString()).contains("is a hls playlist or list")
                .contains("give the video file itself");
    }

    @Test
    void aPlaylistCalledMp4IsNotReadAsTheVideoItNames() throws Exception {
        Path disguised = Files.writeString(root.resolve("holiday.mp4"), hlsNaming(secret));
        assertThatThrownBy(() -> new Probe(tools).probe(disguised)).isInstanceOf(SpoolError.class)
                .hasMessageContaining(disguised.toString());
    }

    @Test
    void anFfconcatListIsRefusedByItsContent() throws Exception {
        Path list = Files.writeString(root.resolve("clip.mkv"), "ffconcat version 1.0\nfile '" + secret + "'\n");
        SpoolError error = probeRefuses(list);
        assertThat(error.code()).isEqualTo(SpoolError.Code.INPUT_UNREADABLE);
        assertThat(error.getMessage()).contains(list.toString()).contains("is a concat playlist or list");
    }

    @Test
    void aPlainMediaFileStillProbes() {
        assertThat(new Probe(tools).probe(secret).video()).isPresent();
    }

    @Test
    void everyEncodeOfTheInputCarriesTheSandboxRightBeforeItsInput() {
        MediaInfo info = new Probe(tools).probe(secret);
        List<String> args = LadderCommand.args(LadderPlan.of(info, EncodeOptions.defaults()), secret, dir.resolve("out"), false);
        List<String> sandbox = InputSandbox.inputOptions();
        assertThat(Collections.indexOfSubList(args, sandbox)).isEqualTo(args.indexOf("-i") - sandbox.size());
    }

    @Test
    void ffmpegsRefusalsAreToldInAUsersWords() {
        assertThat(InputSandbox.refusal(List.of("[dash @ 0x5581] Format not on whitelist 'mov,matroska'"))).get().asString()
                .startsWith("is a dash playlist or list");
        assertThat(InputSandbox.refusal(List.of("[in#0 @ 0x1] Protocol 'http' not on whitelist 'file'!"))).get().asString()
                .startsWith("makes ffmpeg open a http address");
        assertThat(InputSandbox.refusal(List.of("moov atom not found"))).isEmpty();
    }
}
