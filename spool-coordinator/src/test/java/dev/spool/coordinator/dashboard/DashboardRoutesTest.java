package dev.spool.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.coordinator.api.Coordinator;
import dev.spool.coordinator.api.CoordinatorConfig;
import dev.spool.coordinator.queue.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard served by a real coordinator over loopback HTTP: the page with its CSP, the app's
 * modules and the vendored libraries with their types and cache headers, and no way out of /ui/.
 */
class DashboardRoutesTest {
    @TempDir static Path dataDir;
    private static Coordinator coordinator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        coordinator = Coordinator.start(new CoordinatorConfig("127.0.0.1", 0, dataDir, null, Duration.ofSeconds(30),
                Duration.ofSeconds(1), new RetryPolicy(2, Duration.ZERO, 1.0), Duration.ofMillis(200)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (coordinator != null) coordinator.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + path));
        if (headers.length > 0) request.headers(headers);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootServesThePageWithoutATokenUnderAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(DashboardRoutes.CSP);
        assertThat(DashboardRoutes.CSP).contains("script-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
    }

    @Test
    void everyModuleThePageImportsIsServedAsJavaScriptAndTheWebjarsAsImmutable() throws Exception {
        HttpResponse<String> app = get("/ui/app.js");
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
        assertThat(app.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(app.headers().firstValue("Content-Security-Policy")).isEmpty();
        // every import of every module resolves: a typo in a path would be a blank page in the browser
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(java.util.List.of("/ui/app.js"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        Pattern imports = Pattern.compile("(?:import|from)\\s*\\(?\\s*'([^']+)'");
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) continue;
            HttpResponse<String> module = get(path);
            assertThat(module.statusCode()).as(path).isEqualTo(200);
            assertThat(module.headers().firstValue("Content-Type")).as(path).hasValue("text/javascript;charset=utf-8");
            if (path.startsWith("/ui/vendor/")) continue;
            Matcher m = imports.matcher(module.body());
            while (m.find()) todo.add(URI.create("http://x" + path).resolve(m.group(1)).getPath());
        }
        assertThat(seen).contains("/ui/api.js", "/ui/live.js", "/ui/vendor/hls.js/1.4.12/dist/hls.mjs",
                "/ui/vendor/uplot/1.6.30/dist/uPlot.esm.js");

        HttpResponse<String> hls = get("/ui/vendor/hls.js/1.4.12/dist/hls.mjs");
        assertThat(hls.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(hls.body()).contains("export { Hls as default }");
        HttpResponse<String> css = get("/ui/vendor/uplot/1.6.30/dist/uPlot.min.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(get("/ui/style.css").headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
    }

    @Test
    void anUnchangedAssetIsAnsweredWithNotModified() throws Exception {
        String etag = get("/ui/style.css").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/ui/style.css", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void pathsOutOfTheDashboardsFilesAreNotFound() throws Exception {
        for (String path : java.util.List.of("/ui/../openapi.json", "/ui/..%2Fopenapi.json", "/ui/%2e%2e/%2e%2e/openapi.json",
                "/ui/views/../../openapi.json", "/ui//etc/passwd", "/ui/vendor/hls.js/1.4.12/../../uplot/1.6.30/package.json",
                "/ui/vendor/hls.js/9.9.9/dist/hls.mjs", "/ui/vendor/jquery/3.7.1/jquery.js", "/ui/vendor/hls.js/1.4.12/package.json",
                "/ui/nothing.js", "/ui/index", "/ui/..\\openapi.json", "/ui/%5c..%5copenapi.json")) {
            int status = raw(path);
            assertThat(status).as(path).isIn(400, 404);
        }
        HttpResponse<String> missing = get("/ui/nothing.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"NOT_FOUND\"").contains("/ui/nothing.js");
    }

    @Test
    void onlyPlainRelativeSegmentsAreAccepted() {
        assertThat(DashboardRoutes.plain("views/jobs.js")).isTrue();
        assertThat(DashboardRoutes.plain("vendor/hls.js/1.4.12/dist/hls.mjs")).isTrue();
        for (String bad : java.util.List.of("", "../x.js", "a/../x.js", "./x.js", "/x.js", "a//x.js", "a\\x.js", "a%2fx.js", "x.js/"))
            assertThat(DashboardRoutes.plain(bad)).as(bad).isFalse();
    }

    /** The path sent as written (java.net.http would normalise some of these away): the status code. */
    private static int raw(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", coordinator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
