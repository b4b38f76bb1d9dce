package dev.spool.model.storage;

import dev.spool.model.SpoolError;

import java.util.Locale;
import java.util.Optional;

/**
 * An {@code s3://bucket/key} location (any S3-compatible store), or a {@code spool://key} one:
 * a file the coordinator itself keeps, for machines with no shared disk and no cloud account
 * (bucket {@link #COORDINATOR}). Other inputs and outputs are paths on the worker's own disks
 * (see {@code LocalRoots}).
 */
public record ObjectLocation(String bucket, String key) {
    private static final String SCHEME = "s3://";
    private static final String SPOOL_SCHEME = "spool://";
    /** The bucket of {@code spool://} locations: no S3 bucket can be named so. */
    public static final String COORDINATOR = "@coordinator";

    public ObjectLocation {
        // S3's own bucket rules, loosely: what any S3-compatible store accepts
        if (!bucket.equals(COORDINATOR) && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))
            throw SpoolError.invalid("bucket", "'" + bucket + "' is not a bucket name (3-63 of a-z 0-9 . -)");
        if (key.length() > 1024) throw SpoolError.invalid("key", "is longer than 1024 characters");
        // the coordinator keeps these as files: plain names only, and never its whole store
        if (bucket.equals(COORDINATOR) && (!key.matches("([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?")
                || java.util.Arrays.stream(key.split("/")).anyMatch(p -> p.equals(".") || p.equals("..") || p.startsWith(".spool-upload-"))))
            throw SpoolError.invalid("key", "'" + key + "' must be parts of A-Z a-z 0-9 . _ - joined by /, none of them . or ..");
        if (key.startsWith("/") || key.contains("//") || key.equals("..") || key.startsWith("../") || key.contains("/../")
                || key.endsWith("/.."))
            throw SpoolError.invalid("key", "'" + key + "' is not a plain object key (no leading /, // or ..)");
    }

    /** The location an {@code s3://} or {@code spool://} URI names, or empty for anything else (a path). */
    public static Optional<ObjectLocation> parse(String uri) {
        if (uri != null && uri.toLowerCase(Locale.ROOT).startsWith(SPOOL_SCHEME)) {
            String key = uri.substring(SPOOL_SCHEME.length());
            while (key.endsWith("/")) key = key.substring(0, key.length() - 1);
            return Optional.of(new ObjectLocation(COORDINATOR, key));
        }
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith(SCHEME)) return Optional.empty();
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        while (key.endsWith("/")) key = key.substring(0, key.length() - 1);
        return Optional.of(new ObjectLocation(bucket, key));
    }

    public static boolean isObject(String uri) {
        return parse(uri).isPresent();
    }

    /** A key under this one: {@code prefix/child}. */
    public ObjectLocation child(String name) {
        return new ObjectLocation(bucket, key.isEmpty() ? name : key + "/" + name);
    }

    /** The "directory" holding this key (the bucket's root for a top-level key). */
    public ObjectLocation parent() {
        int slash = key.lastIndexOf('/');
        return new ObjectLocation(bucket, slash < 0 ? "" : key.substring(0, slash));
    }

    /** The last part of the key: the file name. */
    public String name() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** Whether the coordinator keeps it ({@code spool://}). */
    public boolean onCoordinator() {
        return bucket.equals(COORDINATOR);
    }

    @Override
    public String toString() {
        return onCoordinator() ? SPOOL_SCHEME + key : SCHEME + bucket + "/" + key;
    }
}
