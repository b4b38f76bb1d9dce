package dev.spool.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What ffprobe found in an input: its duration and the streams Spool can use. */
public record MediaInfo(Path source, String container, double durationSec, long sizeBytes,
                        Optional<VideoStream> video, List<AudioStream> audio, List<SubtitleStream> subtitles) {
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
