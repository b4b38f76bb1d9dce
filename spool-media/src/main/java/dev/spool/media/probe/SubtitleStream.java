package dev.spool.media.probe;

/** A subtitle stream of the input; language is an ISO 639-2 code or "und". */
public record SubtitleStream(int index, String codec, String language) {}
