package dev.spool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile jobs of issue 13: inputs inside the worker's root that make ffmpeg reach outside it
 * (playlists and lists, detected by content whatever their name), links and paths out of the
 * root, broken media, and http(s) inputs at loopback, private and metadata addresses in every
 * spelling. Each is submitted (the coordinator cannot see what a file holds) and must end FAILED
 * with an error that names the job's own input or output.
 */
final class HostileJobs {
    /**
     * One job: its input and output as submitted, the state it must end in, a fragment its error
     * must hold, what of the job's own its error must name (the input, or the output when that is
     * what was refused).
     */
    record Case(String name, String input, String output, String state, String errorFragment, String named) {}

    private HostileJobs() {}

    /**
     * Writes the hostile files into {@code root} (and links out of it to {@code outside}) and lists
     * the jobs; {@code playlistServer} is the base URL of a server whose /evil.m3u8 names the outside video.
     */
    static List<Case> prepare(Path root, Path outside, Path clip, String playlistServer) throws IOException {
        Path secretVideo = outside.resolve("secret.mp4");
        Path secretText = outside.resolve("secret.txt");
        String hls = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:1.0,\n"
                + secretVideo + "\n#EXT-X-ENDLIST\n";
        String hlsText = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n" + secretText + "\n#EXT-X-ENDLIST\n";
        String concat = "ffconcat version 1.0\nfile '" + secretVideo + "'\n";
        String dash = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" mediaPresentationDuration=\"PT1S\">"
                + "<Period><AdaptationSet mimeType=\"video/mp4\"><Representation id=\"1\" bandwidth=\"1000\"><BaseURL>" + secretVideo
                + "</BaseURL></Representation></AdaptationSet></Period></MPD>\n";
        String sdp = "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 5004 RTP/AVP 96\na=rtpmap:96 H264/90000\n";
        byte[] video = Files.readAllBytes(clip);
        List<Case> cases = new ArrayList<>();
        String out = root.resolve("out").toString();
        cases.add(refused("an .m3u8 naming the outside video", write(root, "evil.m3u8", hls), out + "-m3u8", "playlist or list"));
        cases.add(refused("that HLS playlist named .mp4", write(root, "hls-inside.mp4", hls), out + "-hls-mp4", "is not a video or audio file"));
        cases.add(refused("that HLS playlist named .avi", write(root, "hls-inside.avi", hls), out + "-hls-avi", "is not a video or audio file"));
        cases.add(refused("that HLS playlist named .ts", write(root, "hls-inside.ts", hls), out + "-hls-ts", "is not a video or audio file"));
        cases.add(refused("an HLS playlist naming the outside secret text", write(root, "text.m3u8", hlsText), out + "-text", "playlist or list"));
        cases.add(refused("HLS in an AVI's GAB2 subtitle stream", write(root, "gab2.avi", GabAvi.carrying(hls)), out + "-gab2",
                "has no decodable video or audio stream"));
        cases.add(refused("an ffconcat list naming the outside video", write(root, "list.ffconcat", concat), out + "-concat", "playlist or list"));
        cases.add(refused("that ffconcat list named .mkv", write(root, "concat-inside.mkv", concat), out + "-concat-mkv", "playlist or list"));
        cases.add(refused("a DASH manifest naming the outside video", write(root, "evil.mpd", dash), out + "-dash", null));
        cases.add(refused("an SDP file opening an RTP stream", write(root, "stream.sdp", sdp), out + "-sdp", null));
        Path link = root.resolve("link-out.mp4");
        Files.createSymbolicLink(link, secretVideo);
        cases.add(refused("a symlink in the root to the outside video", link.toString(), out + "-link", "is outside the worker's roots"));
        Path dirLink = root.resolve("linked-dir");
        Files.createSymbolicLink(dirLink, outside);
        cases.add(refused("a path through a linked directory", dirLink.resolve("secret.mp4").toString(), out + "-dirlink",
                "is outside the worker's roots"));
        cases.add(refused("an absolute path outside the root", secretVideo.toString(), out + "-abs", "is outside the worker's roots"));
        cases.add(refused("a path with .. out of the root", root + "/../" + outside.getFileName() + "/secret.mp4", out + "-dotdot",
                "is outside the worker's roots"));
        cases.add(refused("/proc/self/environ", "/proc/self/environ", out + "-proc", "is outside the worker's roots"));
        cases.add(refused("/dev/zero", "/dev/zero", out + "-zero", "is outside the worker's roots"));
        Path inRoot = write(root, "good.mp4", video);
        cases.add(refusedOutput("an output outside the root", inRoot, outside.resolve("out").toString()));
        cases.add(refusedOutput("an output through a linked directory", inRoot, dirLink.resolve("out").toString()));
        cases.add(refusedOutput("an output with .. out of the root", inRoot, root + "/../" + outside.getFileName() + "/out2"));
        cases.add(refused("a truncated mp4", write(root, "truncated.mp4", java.util.Arrays.copyOf(video, video.length / 2)),
                out + "-truncated", "moov atom"));
        byte[] corrupt = video.clone();
        for (int i = corrupt.length / 4; i < corrupt.length; i += 7) corrupt[i] ^= (byte) 0x5a;
        cases.add(refused("a corrupted mp4", write(root, "corrupt.mp4", corrupt), out + "-corrupt", null));
        cases.add(refused("a zero-byte file", write(root, "empty.mp4", new byte[0]), out + "-empty", "is empty (0 bytes)"));
        cases.add(refused("a text file named .mp4", write(root, "notes.mp4", "my notes, not a video\n".repeat(50)), out + "-notes",
                "is not a video or audio file"));
        cases.add(refused("an absurd resolution (60000x60000 frames)", write(root, "huge.y4m",
                "YUV4MPEG2 W60000 H60000 F30:1 C420jpeg\nFRAME\n" + "x".repeat(1000)), out + "-huge",
                "declares a picture size ffmpeg refuses (60000x60000)"));
        cases.add(refused("a missing file in the root", root.resolve("nope.mp4").toString(), out + "-nope", "no such file"));
        cases.add(refused("a directory as the input", Files.createDirectories(root.resolve("a-dir.mp4")).toString(), out + "-dir", "is a directory"));
        // served on loopback by the test, naming the outside video: refused before any connection, so
        // neither the playlist nor the local file it names is read (the suite counts the server's requests)
        cases.add(url("a loopback server's playlist naming the outside video", playlistServer + "/evil.m3u8", out, LOOPBACK));
        cases.addAll(urls(out));
        return cases;
    }

    private static final String ONLY_IF_ALLOWED = "; a worker fetches those only when started with --allow-private-urls";
    private static final String LOOPBACK = "points at 127.0.0.1, which is a private address (loopback address)" + ONLY_IF_ALLOWED;

    /** http(s) inputs at addresses a worker without --allow-private-urls must never fetch. */
    private static List<Case> urls(String out) {
        List<Case> cases = new ArrayList<>();
        cases.add(url("loopback 127.0.0.1", "http://127.0.0.1:9/a.mp4", out, LOOPBACK));
        cases.add(url("loopback localhost", "http://localhost:9/a.mp4", out, LOOPBACK));
        cases.add(url("loopback [::1]", "http://[::1]:9/a.mp4", out, "which is a private address (loopback address)" + ONLY_IF_ALLOWED));
        // java.net.URI reads no host in 127.1 (a registry authority): nothing to check, so nothing is fetched
        cases.add(url("loopback 127.1", "http://127.1:9/a.mp4", out, "names no host that can be checked"));
        cases.add(url("loopback 2130706433", "http://2130706433:9/a.mp4", out, LOOPBACK));
        cases.add(url("loopback [::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]:9/a.mp4", out, LOOPBACK));
        cases.add(url("loopback 0x7f000001", "http://0x7f000001:9/a.mp4", out, LOOPBACK));
        cases.add(url("loopback 0177.0.0.1", "http://0177.0.0.1:9/a.mp4", out, LOOPBACK));
        cases.add(url("metadata 169.254.169.254", "http://169.254.169.254/latest/meta-data/", out,
                "points at 169.254.169.254, which is a link-local address; workers never fetch those"));
        cases.add(url("metadata 0xa9fea9fe", "http://0xa9fea9fe/latest/meta-data/", out,
                "points at 169.254.169.254, which is a link-local address; workers never fetch those"));
        cases.add(url("metadata [fd00:ec2::254]", "http://[fd00:ec2::254]/latest/meta-data/", out,
                "which is a cloud metadata address; workers never fetch those"));
        cases.add(url("private 10.0.0.1", "http://10.0.0.1/a.mp4", out, "points at 10.0.0.1, which is a private address" + ONLY_IF_ALLOWED));
        cases.add(url("private 192.168.1.1", "https://192.168.1.1/a.mp4", out, "points at 192.168.1.1, which is a private address" + ONLY_IF_ALLOWED));
        // a redirect to loopback is not here: on one machine every server the suite can start is itself on
        // loopback, refused before a redirect is followed; HttpInputTest's
        // privateAddressesAreRefusedUnlessAllowedAndEveryRedirectIsChecked checks each hop
        return cases;
    }

    private static Case refused(String name, Object input, String output, String fragment) {
        return new Case(name, input.toString(), output, "FAILED", fragment, input.toString());
    }

    private static Case refusedOutput(String name, Path input, String output) {
        return new Case(name, input.toString(), output, "FAILED", "is outside the worker's roots", output);
    }

    private static Case url(String name, String url, String out, String fragment) {
        return new Case("an http input at " + name, url, out + "-url-" + Integer.toHexString(name.hashCode()), "FAILED", fragment, url);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
