package dev.spool.media.probe;

/** An audio stream of the input; language is an ISO 639-2 code or "und"; durationSec 0 when unknown. */
public record AudioStream(int index, String codec, int channels, int sampleRate, String language, boolean isDefault, double durationSec) {}
