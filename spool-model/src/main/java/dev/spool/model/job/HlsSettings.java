package dev.spool.model.job;

import dev.spool.model.encode.EncodeOptions;

/** Seed 001's hls_settings: the master playlist's file name and the segment length in seconds. */
public record HlsSettings(String masterPlaylistName, Integer segmentTime) {
    public HlsSettings {
        masterPlaylistName = masterPlaylistName == null ? EncodeOptions.DEFAULT_MASTER_NAME : masterPlaylistName;
        segmentTime = segmentTime == null ? EncodeOptions.DEFAULT_HLS_TIME : segmentTime;
    }

    public static HlsSettings defaults() { return new HlsSettings(null, null); }
}
