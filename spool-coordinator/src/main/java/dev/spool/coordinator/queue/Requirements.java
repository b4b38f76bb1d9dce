package dev.spool.coordinator.queue;

/** What a task needs of a worker: an encoder, a picture height it must handle, a pool. */
public record Requirements(String encoder, int minHeight, String pool) {
    public static final String TRANSCODE_POOL = "transcode";
}
