package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.media.ffmpeg.SampleMedia;
import dev.spool.model.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against a real coordinator and a real worker process
 * encoding generated media: sign in, a running job's progress moving on the page without a reload,
 * its timeline naming the worker, a cancel by the button, a completed ladder playing in the player
 * with a rung switched, a worker paused by its button, and a read-only token refused. Every page is
 * photographed under target/dashboard-screenshots/.
 */
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("dashboard.screenshots", "target/dashboard-screenshots"));

    @TempDir Path dir;
    private Cluster cluster;
    private Chromium browser;

    @BeforeEach
    void start() throws Exception {
        cluster = new Cluster(dir);
        Files.createDirectories(dir.resolve("outputs"));
        cluster.startCoordinator("--heartbeat", "1");
        cluster.startWorker("w1", "--progress-interval", "0.2");
        browser = Chromium.start(Files.createDirectories(dir.resolve("chromium")), SCREENSHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.close();
        cluster.close();
    }

    @Test
    void anOperatorWatchesCancelsPlaysAndPausesFromTheBrowserAndAReadOnlyTokenIsRefused() throws Exception {
        try {
            walkThrough();
        } catch (Exception | AssertionError e) {
            browser.screenshot("failure");   // what the page showed when it went wrong
            throw e;
        }
    }

    private void walkThrough() throws Exception {
        // A: a short ladder to play (kept by the coordinator, which serves it to the player); B: a long
        // split job to watch; C: queued behind them, to cancel
        Path clip = TestMedia.get("dashboard-6s.mp4", SampleMedia.Spec.video(640, 360, 30, 6));
        Path longClip = TestMedia.get("dashboard-24s.mp4", SampleMedia.Spec.video(640, 360, 30, 24));
        String played = cluster.submit(clip.toString(), "spool://outputs/played", Map.of("piece_seconds", 0), "360p", "240p");
        String watched = cluster.submit(longClip, dir.resolve("outputs/b"), Map.of("piece_seconds", 6), "360p", "240p");
        String cancelled = cluster.submit(clip, dir.resolve("outputs/c"), Map.of("piece_seconds", 0), "360p");

        browser.driver.get(cluster.url() + "/");
        WebElement token = await(By.id("token"));
        assertThat(browser.driver.findElement(By.id("sign-out")).isDisplayed()).as("signed out: no sign-out button").isFalse();
        assertThat(browser.driver.findElement(By.cssSelector("nav.nav")).isDisplayed()).as("signed out: no menu").isFalse();
        browser.screenshot("sign-in");
        token.sendKeys(cluster.clientToken());
        browser.driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        await(By.cssSelector("#jobs-by-state .count"));
        await(By.cssSelector("#throughput .uplot"));
        assertThat(text(By.id("who"))).isEqualTo("initial · admin");
        assertThat(text(By.id("workers-summary"))).as("the autoscaling policy's count beside the workers").contains("desired");
        browser.screenshot("overview");
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.screenshot("overview-dark");
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));

        // live progress: two different values in the same row, the page never reloaded
        browser.js("location.hash = '#/jobs'; window.spoolSamePage = true;");
        By watchedProgress = By.cssSelector("tr[data-job='" + watched + "'] .progress-text");
        await(watchedProgress);
        String first = Poll.until(WAIT, "job B shows progress", () -> text(watchedProgress), p -> !p.equals("0.0%"));
        String second = Poll.until(WAIT, "job B's progress moves on the page", () -> text(watchedProgress), p -> !p.equals(first));
        assertThat(List.of(first, second)).doesNotHaveDuplicates();
        assertThat(browser.js("return window.spoolSamePage === true")).as("no reload").isEqualTo(true);
        browser.screenshot("jobs");
        browser.phone(true);
        browser.screenshot("jobs-phone");
        browser.phone(false);
        // the text search: B's id finds B alone
        await(By.id("filter-q")).sendKeys(watched);
        click(By.cssSelector("form.filters button[type=submit]"));
        Poll.until(WAIT, "the search shows B alone", () -> browser.driver.findElements(By.cssSelector("tr[data-job]")).stream()
                .map(r -> r.getDomAttribute("data-job")).toList(), rows -> rows.equals(List.of(watched)));

        // the timeline: bars in a lane named for the worker
        browser.js("location.hash = arguments[0]", "#/jobs/" + watched);
        WebElement bar = await(By.cssSelector("#timeline .lane[data-worker='w1'] .bar"));
        assertThat(bar.getDomAttribute("title")).contains("on w1").contains("attempt 1");
        assertThat(text(By.cssSelector("#timeline .lane[data-worker='w1'] .lane-name"))).isEqualTo("w1");
        Poll.until(WAIT, "several of B's tasks are on the timeline",
                () -> browser.driver.findElements(By.cssSelector("#timeline .bar")).size(), n -> n >= 3);
        browser.screenshot("job-detail");

        // cancel C with its button
        browser.js("location.hash = arguments[0]", "#/jobs/" + cancelled);
        click(By.id("cancel-job"));
        Poll.until(WAIT, "the page says it is cancelled", () -> text(By.id("action-status")), t -> t.startsWith("Cancelled"));
        assertThat(cluster.job(cancelled).path("state").asText()).isEqualTo("CANCELLED");

        // and the bulk buttons: C retried, then cancelled again, by its checkbox on the jobs page
        browser.js("location.hash = '#/jobs'");
        for (String action : List.of("retry", "cancel")) {
            click(By.cssSelector("tr[data-job='" + cancelled + "'] input.pick"));
            click(By.id("bulk-" + action));
            Poll.until(WAIT, "the bulk " + action + " is done", () -> text(By.id("bulk-status")), t -> t.equals("1 of 1 done."));
            assertThat(cluster.job(cancelled).path("state").asText()).isEqualTo(action.equals("retry") ? "QUEUED" : "CANCELLED");
            browser.js("location.hash = '#/jobs?' + arguments[0]", action);   // a fresh page: nothing selected
        }

        // the completed ladder plays, and switching rung keeps it playing
        JsonNode a = cluster.awaitJob(played, j -> Cluster.state(j, "COMPLETED"), WAIT);
        assertThat(a.path("outputs").path("playback_url").asText()).startsWith("/api/v1/jobs/" + played + "/output/");
        browser.js("location.hash = arguments[0]", "#/jobs/" + played);
        await(By.id("player"));
        Poll.until(WAIT, "the player lists the rungs", () -> new Select(browser.driver.findElement(By.id("rung"))).getOptions().size(), n -> n == 3);
        browser.js("document.getElementById('player').play()");
        double t1 = Poll.until(WAIT, "the video plays", this::mediaTime, t -> t > 0);
        Poll.until(WAIT, "media time advances", this::mediaTime, t -> t > t1 + 0.5);
        Select rung = new Select(browser.driver.findElement(By.id("rung")));
        String chosen = rung.getOptions().get(2).getText();
        rung.selectByIndex(2);
        Poll.until(WAIT, "the player switched to " + chosen, () -> text(By.id("player-note")), n -> chosen.startsWith(n.replace("Playing ", "")));
        double t2 = mediaTime();
        Poll.until(WAIT, "it plays on after the switch", this::mediaTime, t -> t > t2 + 0.3 || t < t2);
        browser.screenshot("player");

        // workers: pause w1 with its button (it then takes nothing new)
        browser.js("location.hash = '#/workers'");
        await(By.cssSelector(".worker[data-worker='w1'] .facts"));
        browser.screenshot("workers");
        click(By.cssSelector(".worker[data-worker='w1'] button[data-action='pause']"));
        Poll.until(WAIT, "the card says w1 is paused", () -> text(By.cssSelector(".worker[data-worker='w1'] .card-status")),
                said -> said.startsWith("Now PAUSED"));
        assertThat(cluster.client().call("GET", "/api/v1/workers/w1", null, Cluster.CALL).path("control").asText()).isEqualTo("PAUSED");
        browser.js("location.hash = '#/workers/w1'");
        await(By.cssSelector("#recent-tasks tbody tr"));
        assertThat(text(By.id("recent-tasks"))).as("newest first, down to job A's transcode").contains(watched).contains(played);
        browser.screenshot("worker-detail");
        String waiting = cluster.submit(clip, dir.resolve("outputs/d"), Map.of("piece_seconds", 0), "360p");

        // a read-only token: sees the job, its cancel is disabled, and a forced POST is refused
        JsonNode viewer = cluster.client().call("POST", "/api/v1/tokens", Map.of("name", "viewer", "role", "read"), Cluster.CALL);
        browser.driver.findElement(By.id("sign-out")).click();
        await(By.id("token")).sendKeys(viewer.path("token").asText());
        browser.driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        Poll.until(WAIT, "signed in as the viewer", () -> text(By.id("who")), who -> who.equals("viewer · read"));
        assertThat(await(By.id("read-only-note")).getText()).contains("read-only");
        browser.js("location.hash = arguments[0]", "#/jobs/" + waiting);
        WebElement cancel = await(By.id("cancel-job"));
        assertThat(cancel.isEnabled()).isFalse();
        assertThat(text(By.id("job-actions-note"))).contains("read-only");
        Object forced = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/session').then((r) => r.json()).then((s) =>
                  fetch('/api/v1/jobs/' + arguments[0] + '/cancel', {method: 'POST', headers: {'X-Spool-CSRF': s.csrf_token}}))
                  .then(async (r) => done([r.status, await r.text()]));""", waiting);
        assertThat(forced).asString().startsWith("[403, ").contains("FORBIDDEN").contains("needs a submit or admin token");
        assertThat(cluster.job(waiting).path("state").asText()).isEqualTo("QUEUED");
        browser.screenshot("read-only-job");
        List<String> console = browser.console();
        assertThat(console).as("the console is read: the forced POST's 403 is in it").anyMatch(line -> line.contains("403"));
        assertThat(console).as("nothing the page did was refused by its Content-Security-Policy")
                .noneMatch(line -> line.contains("Content Security Policy") || line.contains("Content-Security-Policy"));
    }

    private double mediaTime() {
        return ((Number) browser.js("return document.getElementById('player').currentTime")).doubleValue();
    }

    private WebElement await(By by) {
        return Poll.until(WAIT, "the page shows " + by, () -> {
            try {
                return browser.driver.findElements(by).stream().filter(WebElement::isDisplayed).findFirst();
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return Optional.<WebElement>empty();   // redrawn by a live update meanwhile: look again
            }
        }, Optional::isPresent).orElseThrow();
    }

    /** Clicks what the selector finds; a live update may have just replaced it, then the new one. */
    private void click(By by) {
        Poll.until(WAIT, "a click on " + by, () -> {
            try {
                await(by).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return false;
            }
        }, done -> done);
    }

    private String text(By by) {
        try {
            return browser.driver.findElements(by).stream().findFirst().map(WebElement::getText).orElse("");
        } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
            return "";   // redrawn by a live update between finding and reading: the next poll reads the new one
        }
    }
}
