package dev.spool.coordinator.dashboard;

import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Api;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard: {@code GET /} is its one page, {@code /ui/...} its scripts and styles from the
 * jar's {@code dashboard/} resources, {@code /ui/vendor/NAME/VERSION/...} the browser libraries of the
 * webjars it depends on (hls.js, uPlot), so nothing is fetched from a CDN. None of it holds data,
 * hence open; the data comes from the API, behind the session cookie.
 */
public final class DashboardRoutes {
    /** The page allows only its own scripts, styles and connections; media from MSE blobs (hls.js). */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";
    /** A vendored file's URL names its version, so it never changes: a year, immutable. */
    static final String VENDOR_CACHE = "public, max-age=31536000, immutable";
    /** The app's own files change with a new Spool: the browser asks each time, and an unchanged one costs a 304. */
    static final String APP_CACHE = "no-cache";
    private static final String RESOURCES = "dashboard/";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    /** Webjars served, by their npm name (only these: the classpath holds others' resources too). */
    static final java.util.List<String> VENDORED = java.util.List.of("hls.js", "uplot");
    /** One path segment: letters, digits, dot, dash, underscore; "." and ".." are refused separately. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8", "js", "text/javascript;charset=utf-8", "mjs", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "map", "application/json;charset=utf-8", "woff2", "font/woff2");

    private final ClassLoader loader = DashboardRoutes.class.getClassLoader();
    private final Map<String, String> versions;
    /** Files found, with their ETag: a few hundred KB in all, read once. Misses are not kept. */
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    public DashboardRoutes() {
        this.versions = webjarVersions();
    }

    /** The version of each vendored webjar on the classpath, from its Maven pom.properties. */
    private Map<String, String> webjarVersions() {
        Map<String, String> found = new java.util.HashMap<>();
        for (String name : VENDORED) {
            try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/" + name + "/pom.properties")) {
                if (in == null) continue;   // not on the classpath: its URLs answer 404
                Properties p = new Properties();
                p.load(in);
                found.put(name, p.getProperty("version"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(found);
    }

    /** The vendored libraries' versions, as their URLs name them. */
    public Map<String, String> versions() { return versions; }

    public void register(Javalin app, RouteRole open) {
        app.get(Api.DASHBOARD, ctx -> serve(ctx, "index.html"), open);
        // "/ui/app.js/" is "/ui/app.js", as the API's routes take a trailing slash
        app.get(Api.DASHBOARD_ASSETS, ctx -> serve(ctx, ctx.pathParam("path").replaceFirst("/$", "")), open);
    }

    private void serve(Context ctx, String path) {
        Asset asset = find(path).orElseThrow(() -> new SpoolError(SpoolError.Code.NOT_FOUND, "path", "no dashboard file /ui/" + path));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", asset.vendored() ? VENDOR_CACHE : APP_CACHE);
        ctx.header("ETag", asset.etag());
        if (asset.type().startsWith("text/html")) {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("Referrer-Policy", "same-origin");
        }
        String seen = ctx.header("If-None-Match");
        if (seen != null && java.util.Arrays.stream(seen.split(",")).map(String::strip).anyMatch(asset.etag()::equals)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.type()).result(asset.bytes());
    }

    /** The file a /ui/ path names, or empty: only plain segments, only known types, only under our roots. */
    Optional<Asset> find(String path) {
        String type = type(path);
        if (type == null || !plain(path)) return Optional.empty();
        String resource;
        boolean vendored = path.startsWith("vendor/");
        if (vendored) {
            String[] parts = path.split("/", 4);   // vendor, name, version, file
            if (parts.length < 4 || !parts[2].equals(versions.get(parts[1]))) return Optional.empty();
            resource = WEBJARS + parts[1] + "/" + parts[2] + "/" + parts[3];
        } else {
            resource = RESOURCES + path;
        }
        Asset known = assets.get(resource);
        if (known != null) return Optional.of(known);
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            Asset asset = new Asset(bytes, type, etag(bytes), vendored);
            assets.put(resource, asset);
            return Optional.of(asset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Relative, slash-separated, no empty, "." or ".." segment, no backslash or percent (refuses traversal in any spelling). */
    static boolean plain(String path) {
        if (path.isEmpty() || path.length() > 512) return false;
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }

    static String type(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Asset(byte[] bytes, String type, String etag, boolean vendored) {}
}
