package dev.spool.coordinator.api;

/**
 * How large a JSON body one route reads, enforced while reading. A worker's sync and progress are a
 * few hundred bytes; a submitted job names a ladder and labels; a finalize carries a task's results
 * (a manifest and its renditions, a piece's checks), the largest message there is.
 */
record BodyLimit(String name, long bytes) {
    static final BodyLimit PROTOCOL = new BodyLimit("64 KiB", 64L << 10);
    static final BodyLimit SUBMIT = new BodyLimit("1 MiB", 1L << 20);
    static final BodyLimit RESULTS = new BodyLimit("4 MiB", 4L << 20);
    /** The largest of them: a Content-Length above it is refused before any route is matched. */
    static final BodyLimit LARGEST = RESULTS;
}
