package dev.spool.media.ffmpeg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bundled ffmpeg a machine runs, and that the build picks the same one for it. */
class FfmpegPlatformTest {
    @ParameterizedTest
    @CsvSource({
            "Linux,amd64,linux-x86_64-gpl,ffmpeg,LD_LIBRARY_PATH",
            "Linux,aarch64,linux-arm64-gpl,ffmpeg,LD_LIBRARY_PATH",          // Raspberry Pi 4/5 on a 64-bit OS
            "Windows 11,amd64,windows-x86_64-gpl,ffmpeg.exe,PATH",
            "Mac OS X,aarch64,macosx-arm64-gpl,ffmpeg,DYLD_LIBRARY_PATH",
            "Mac OS X,x86_64,macosx-x86_64-gpl,ffmpeg,DYLD_LIBRARY_PATH"})
    void eachPlatformWithABuildGetsItsJarItsExecutableAndItsLibraryPath(String os, String arch, String classifier, String exe, String libraryPath) {
        FfmpegPlatform p = FfmpegPlatform.of(os, arch).orElseThrow();
        assertThat(p.classifier()).isEqualTo(classifier);
        assertThat(p.executable("ffmpeg")).isEqualTo(exe);
        assertThat(p.libraryPath()).isEqualTo(libraryPath);
    }

    @ParameterizedTest
    @CsvSource({"Linux,arm", "Linux,ppc64le", "Windows 11,aarch64", "FreeBSD,amd64"})
    void aPlatformWithoutABuildHasNone(String os, String arch) {
        assertThat(FfmpegPlatform.of(os, arch)).as("falls back to --ffmpeg, SPOOL_FFMPEG or PATH").isEmpty();
    }

    @Test
    void thisMachineHasOne() {
        assertThat(FfmpegPlatform.current()).as("the tests run on a machine Spool bundles ffmpeg for").isPresent();
    }

    /** The parent pom's ffmpeg-* profiles choose, for each platform the build can run on, the jar FfmpegPlatform looks into. */
    @Test
    void theBuildsProfilesNameTheSameJars() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile());
        Map<String, String> chosen = new HashMap<>();
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (profile.getElementsByTagName("ffmpeg.classifier").getLength() == 0) continue;
            Element os = (Element) profile.getElementsByTagName("os").item(0);
            String name = text(os, "name") != null ? text(os, "name") : text(os, "family").equals("mac") ? "Mac OS X" : "Windows 11";
            chosen.put(name + "/" + text(os, "arch"), profile.getElementsByTagName("ffmpeg.classifier").item(0).getTextContent());
        }
        assertThat(chosen).hasSize(4);
        chosen.forEach((platform, classifier) -> assertThat(FfmpegPlatform.of(platform.split("/")[0], platform.split("/")[1]))
                .as(platform).map(FfmpegPlatform::classifier).hasValue(classifier));
        // and the default, for the machine of this project's CI and image
        assertThat(pom.getElementsByTagName("ffmpeg.classifier").item(0).getTextContent())
                .isEqualTo(FfmpegPlatform.of("Linux", "amd64").orElseThrow().classifier());
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }
}
