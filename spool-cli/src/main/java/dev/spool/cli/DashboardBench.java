package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.coordinator.queue.LocalPostgres;
import dev.spool.model.SpoolError;
import dev.spool.model.protocol.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spool bench dashboard}: how long the dashboard's jobs page takes to show its first page of
 * jobs in a real browser (headless Chromium, cache off, so every asset is fetched), with 1,000 and
 * with 100,000 finished jobs in PostgreSQL, in alternating rounds. Two figures a load, both from
 * the navigation's start: the first contentful paint, and the page's own mark once the jobs table
 * is filled ({@code spool:jobs-rendered}). And the jobs list's text search over HTTP, for a text
 * that one old job has, so it reads every row.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "First paint of the dashboard's jobs page at 1,000 and 100,000 jobs, in headless Chromium.")
final class DashboardBench implements Callable<Integer> {
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final String FCP = "first paint ms";
    private static final String RENDERED = "jobs shown ms";
    private static final String SEARCH = "search ms";
    /** Matches one job, among the oldest: a search that reads the whole table, newest first, to find it. */
    private static final String ONE_MATCH = "film-7.mp4";
    /** What the page reports once its jobs table is filled: the mark's time, the paint's, the rows shown. */
    private static final String READ_MARKS = """
            (() => {
              const shown = performance.getEntriesByName('spool:jobs-rendered')[0];
              if (!location.hash.startsWith('#/jobs') || !shown) return null;
              const paint = performance.getEntriesByName('first-contentful-paint')[0];
              return {shown: shown.startTime, paint: paint ? paint.startTime : -1, rows: (shown.detail || {}).rows || 0};
            })()""";

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds, the two sizes alternating. Default: ${DEFAULT-VALUE}.")
    int rounds;
    @Option(names = "--jobs", defaultValue = "100000", description = "Finished jobs in the larger database. Default: ${DEFAULT-VALUE}.")
    int jobs;
    @Option(names = "--loads", defaultValue = "3", description = "Page loads a round; the round's figure is their median. Default: ${DEFAULT-VALUE}.")
    int loads;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        if (jobs < 1000 || jobs > 10_000_000) throw SpoolError.invalid("--jobs", "must be between 1000 and 10000000");
        if (loads < 1 || loads > 50) throw SpoolError.invalid("--loads", "must be between 1 and 50");
        Path work = Files.createTempDirectory("spool-bench-dashboard-");
        List<Integer> sizes = List.of(1000, jobs);
        List<DispatchBench.CoordinatorProcess> started = new ArrayList<>();
        PrintStream out = System.out;
        try (LocalPostgres pg = LocalPostgres.start(); HeadlessChromium browser = HeadlessChromium.start()) {
            String database = pg.createDatabase("spool");
            browser.call("Network.enable", Map.of());
            browser.call("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            Rounds alternation = new Rounds(rounds);
            for (int size : sizes) {
                String url = QueueDepthBench.inSchema(database, "bench_d" + size);
                var c = DispatchBench.CoordinatorProcess.start(work.resolve("d" + size), url, "256m");
                started.add(c);
                c.submit("template");
                try (QueueFill fill = QueueFill.fromTemplate(url)) {
                    fill.finished(size, System.currentTimeMillis() - 200_000_000L);
                    fill.analyze();
                }
                String session = signIn(c);
                alternation.variant(label(size), round -> {
                    Map<String, Double> figures = loads(browser, c.url(), session);
                    figures.put(SEARCH, search(c));
                    return figures;
                });
            }
            Rounds.Result r = alternation.run(out);
            out.printf(Locale.ROOT, "%nthe jobs page (#/jobs, cache off) from navigation start, PostgreSQL; median (min-max) over rounds of each"
                    + " round's median of %d loads%n", loads);
            out.printf(Locale.ROOT, "and GET /api/v1/jobs?q=%s (one old job matches), the median of %d a round%n", ONE_MATCH, loads);
            out.printf(Locale.ROOT, "%-16s %-28s %-28s %s%n", "jobs", FCP, RENDERED, SEARCH);
            for (int size : sizes)
                out.printf(Locale.ROOT, "%-16s %-28s %-28s %s%n", label(size), Rounds.Spread.of(r.values(label(size), FCP)).format("%.1f"),
                        Rounds.Spread.of(r.values(label(size), RENDERED)).format("%.1f"),
                        Rounds.Spread.of(r.values(label(size), SEARCH)).format("%.1f"));
            out.printf(Locale.ROOT, "%-16s %-28s %-28s %s%n", "ratio, per round",
                    Rounds.Spread.of(r.ratios(label(jobs), label(1000), FCP)).format("%.2f"),
                    Rounds.Spread.of(r.ratios(label(jobs), label(1000), RENDERED)).format("%.2f"),
                    Rounds.Spread.of(r.ratios(label(jobs), label(1000), SEARCH)).format("%.2f"));
        } finally {
            for (var c : started) c.close();
        }
        return 0;
    }

    /** A dashboard session for the coordinator's initial token: the cookie's value. */
    private String signIn(DispatchBench.CoordinatorProcess c) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(c.url() + "/api/v1/session"))
                .header("Content-Type", "application/json").timeout(CALL)
                .POST(HttpRequest.BodyPublishers.ofString(Wire.JSON.writeValueAsString(Map.of("token", c.clientToken())))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) throw SpoolError.environment("signing in to the dashboard failed: " + reply.statusCode() + " " + reply.body());
        for (String cookie : reply.headers().allValues("Set-Cookie"))
            if (cookie.startsWith("spool_session=")) return cookie.substring("spool_session=".length()).split(";", 2)[0];
        throw SpoolError.environment("signing in set no spool_session cookie");
    }

    /** The median of this round's loads of the jobs page. */
    private Map<String, Double> loads(HeadlessChromium browser, String base, String session) throws Exception {
        List<Double> paints = new ArrayList<>();
        List<Double> shown = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            browser.call("Page.navigate", Map.of("url", "about:blank"));
            browser.call("Network.setCookie", Map.of("name", "spool_session", "value", session, "url", base));
            browser.call("Page.navigate", Map.of("url", base + "/#/jobs"));
            JsonNode marks = waitForMarks(browser);
            if (marks.path("rows").asInt() == 0) throw SpoolError.environment("the jobs page showed no jobs");
            paints.add(marks.path("paint").asDouble());
            shown.add(marks.path("shown").asDouble());
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(FCP, median(paints));
        figures.put(RENDERED, median(shown));
        return figures;
    }

    /** The median time of this round's searches for the one old job. */
    private double search(DispatchBench.CoordinatorProcess c) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(c.url() + "/api/v1/jobs?q=" + ONE_MATCH))
                    .header("Authorization", "Bearer " + c.clientToken()).timeout(CALL).build(), HttpResponse.BodyHandlers.ofString());
            times.add((System.nanoTime() - t0) / 1e6);
            if (reply.statusCode() != 200 || Wire.JSON.readTree(reply.body()).path("jobs").size() != 1)
                throw SpoolError.environment("the search for " + ONE_MATCH + " did not find its one job: " + reply.statusCode());
        }
        return median(times);
    }

    private static JsonNode waitForMarks(HeadlessChromium browser) throws InterruptedException {
        long deadline = System.nanoTime() + CALL.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode marks = browser.evaluate(READ_MARKS);
            if (marks != null && marks.isObject()) return marks;
            Thread.sleep(20);
        }
        throw SpoolError.environment("the jobs page did not show its jobs within " + CALL.toSeconds() + " s");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String label(int n) {
        return String.format(Locale.ROOT, "%,d jobs", n);
    }
}
