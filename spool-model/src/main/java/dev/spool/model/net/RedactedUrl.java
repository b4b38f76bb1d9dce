package dev.spool.model.net;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL as logs and views show it: scheme, host and port, the first path segment or two, and the rest
 * masked, with no user info, query or fragment. Webhook URLs carry their secret in the path (Discord's
 * {@code /api/webhooks/ID/TOKEN}, Slack's {@code /services/T/B/TOKEN}, an ntfy topic) or the query, so
 * the last segment is always masked, however short the path.
 */
public final class RedactedUrl {
    /** How many leading path segments are kept at most. */
    static final int KEPT = 2;
    static final String MASK = "…";

    private RedactedUrl() {}

    public static String of(String url) {
        if (url == null) return null;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return MASK;   // nothing of it can be told apart from its secret
        }
        if (uri.getScheme() == null || uri.getHost() == null) return MASK;
        StringBuilder shown = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) shown.append(':').append(uri.getPort());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String[] segments = path.chars().allMatch(ch -> ch == '/') ? new String[0] : path.replaceAll("^/+", "").split("/+");
        int kept = Math.max(0, Math.min(KEPT, segments.length - 1));
        for (int i = 0; i < kept; i++) shown.append('/').append(segments[i]);
        if (segments.length > kept) shown.append('/').append(MASK);
        else if (!path.isEmpty()) shown.append('/');
        return shown.toString();
    }
}
