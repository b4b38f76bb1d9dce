package dev.spool.media.hls;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the multivariant ("master") playlist: one EXT-X-STREAM-INF per video rendition, all
 * sharing one audio rendition group, with bandwidths measured from the written segments.
 */
public final class MasterPlaylist {
    public static final String AUDIO_GROUP = "audio";

    /** A video variant; {@code codecs} already includes the audio codec when audio is present. */
    public record Variant(String uri, SegmentRates rates, int width, int height, double frameRate, String codecs) {}

    /** The shared audio rendition. */
    public record Audio(String uri, SegmentRates rates, String codecs, int channels, String language) {}

    private MasterPlaylist() {}

    public static String render(List<Variant> variants, Optional<Audio> audio) {
        StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        audio.ifPresent(a -> m.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
                .append("\",NAME=\"").append(languageName(a.language())).append("\",LANGUAGE=\"").append(languageTag(a.language()))
                .append("\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"").append(a.channels()).append("\",URI=\"")
                .append(a.uri()).append("\"\n"));
        if (variants.isEmpty() && audio.isPresent()) {
            Audio a = audio.get();   // audio-only ladder: the audio playlist is the one variant
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(a.rates().peakBps())
                    .append(",AVERAGE-BANDWIDTH=").append(a.rates().averageBps())
                    .append(",CODECS=\"").append(a.codecs()).append("\"\n").append(a.uri()).append('\n');
        }
        for (Variant v : variants) {
            long peak = v.rates().peakBps() + audio.map(a -> a.rates().peakBps()).orElse(0L);
            long average = v.rates().averageBps() + audio.map(a -> a.rates().averageBps()).orElse(0L);
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(peak).append(",AVERAGE-BANDWIDTH=").append(average)
                    .append(",RESOLUTION=").append(v.width()).append('x').append(v.height())
                    .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.frameRate()))
                    .append(",CODECS=\"").append(v.codecs()).append('"');
            if (audio.isPresent()) m.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
            m.append('\n').append(v.uri()).append('\n');
        }
        return m.toString();
    }

    /** ISO 639-2 codes from the container ("fra") to the BCP 47 tags HLS expects ("fr"). */
    private static final Map<String, String> TWO_LETTER = twoLetterCodes();

    static String languageTag(String language) {
        if (language == null || language.isBlank()) return "und";
        String code = language.strip().toLowerCase(Locale.ROOT);
        return TWO_LETTER.getOrDefault(code, code);
    }

    private static String languageName(String language) {
        String tag = languageTag(language);
        if (tag.equals("und")) return "Default";
        String name = Locale.forLanguageTag(tag).getDisplayLanguage(Locale.ENGLISH);
        return name.isBlank() ? tag : name;
    }

    private static Map<String, String> twoLetterCodes() {
        Map<String, String> codes = new HashMap<>();
        for (String two : Locale.getISOLanguages()) {
            String three = Locale.forLanguageTag(two).getISO3Language();
            if (!three.isEmpty()) codes.put(three, two);
        }
        // bibliographic variants that Locale does not know, as MKV and MP4 files often carry them
        Map.of("fre", "fr", "ger", "de", "dut", "nl", "chi", "zh", "cze", "cs", "gre", "el", "per", "fa", "rum", "ro")
                .forEach(codes::putIfAbsent);
        return Map.copyOf(codes);
    }
}
