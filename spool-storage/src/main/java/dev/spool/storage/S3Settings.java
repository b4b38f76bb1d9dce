package dev.spool.storage;

import dev.spool.model.SpoolError;

import java.net.URI;

/**
 * How to reach an S3-compatible store: an endpoint (absent: AWS itself), a region, path-style
 * addressing (MinIO, Ceph, most self-hosted stores), and credentials: a key pair (tests), a named
 * profile of ~/.aws/credentials, or, with neither, wherever the AWS tools look
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials, an instance role).
 * Secrets are never taken on the command line, where other users can read them.
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey, String profile) {
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
        if (endpoint != null && (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null))
            throw SpoolError.invalid("--s3-endpoint", "must be an http(s) URL such as http://minio:9000, not '" + endpoint + "'");
        if ((accessKey == null) != (secretKey == null))
            throw SpoolError.invalid("accessKey", "and the secret key go together (or leave both to the AWS environment)");
    }

    public S3Settings(URI endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
        this(endpoint, region, pathStyle, accessKey, secretKey, null);
    }

    /** AWS itself, credentials from the environment. */
    public static S3Settings aws() {
        return new S3Settings(null, null, false, null, null);
    }

    /** Without the secret: settings end up in logs. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
                + ", accessKey=" + (accessKey == null ? "(environment)" : accessKey) + ", profile=" + profile + "]";
    }
}
