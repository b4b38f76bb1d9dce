package dev.spool.media.run;

import dev.spool.media.plan.LadderPlan;
import dev.spool.media.plan.Rendition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a split MP4 job: one rung's stitched pieces (an fMP4 HLS playlist whose
 * fragments already sit on one timeline) and the audio, copied into a faststart MP4. Stream copy
 * only: the pieces' closed GOPs join as they are, nothing is encoded again.
 */
final class Mp4Copy {
    private Mp4Copy() {}

    static List<String> args(LadderPlan plan, Path stitched, Rendition rung, Path dir) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
                "-i", stitched.resolve(rung.name()).resolve(LadderPlan.MEDIA_PLAYLIST).toString()));
        if (plan.audio().isPresent())
            args.addAll(List.of("-i", stitched.resolve(LadderPlan.AUDIO_DIR).resolve(LadderPlan.MEDIA_PLAYLIST).toString()));
        args.addAll(List.of("-map", "0:v:0"));
        if (plan.audio().isPresent()) args.addAll(List.of("-map", "1:a:0"));
        args.addAll(List.of("-c", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
                dir.resolve(rung.name() + ".mp4").toString()));
        return args;
    }
}
