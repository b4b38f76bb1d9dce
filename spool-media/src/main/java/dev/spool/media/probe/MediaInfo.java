package dev.spool.media.probe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What ffprobe found in an input: its duration, the streams Spool can use, and where its timeline
 * starts ({@code startSec}, ffprobe's format start_time: 0 for most MP4s, 1.4 s for a typical
 * MPEG-TS; ffmpeg subtracts it from every timestamp unless told to keep them with -copyts).
 */
public record MediaInfo(Path source, String container, double durationSec, long sizeBytes,
                        Optional<VideoStream> video, List<AudioStream> audio, List<SubtitleStream> subtitles,
                        double startSec) {
    public MediaInfo(Path source, String container, double durationSec, long sizeBytes, Optional<VideoStream> video,
                     List<AudioStream> audio, List<SubtitleStream> subtitles) {
        this(source, container, durationSec, sizeBytes, video, audio, subtitles, 0);
    }

    public MediaInfo {
        audio = List.copyOf(audio);
        subtitles = List.copyOf(subtitles);
    }

    /** The audio stream a ladder carries: the one marked default, else the first. */
    public Optional<AudioStream> mainAudio() {
        return audio.stream().filter(AudioStream::isDefault).findFirst().or(() -> audio.stream().findFirst());
    }

    public boolean audioOnly() { return video.isEmpty(); }


    /** How long the video stream lasts: its own duration when the container gives one, else the file's. */
    public double videoDurationSec() {
        return video.map(VideoStream::durationSec).filter(d -> d > 0).orElse(durationSec);
    }

    /** How long the carried audio stream lasts: its own duration when known, else the file's. */
    public double audioDurationSec() {
        return mainAudio().map(AudioStream::durationSec).filter(d -> d > 0).orElse(durationSec);
    }
}
