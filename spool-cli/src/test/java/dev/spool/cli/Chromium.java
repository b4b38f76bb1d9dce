package dev.spool.cli;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Debian's headless chromium through its own chromedriver, both named by path (SPOOL_CHROMIUM,
 * SPOOL_CHROMEDRIVER; ./spool test installs them), so Selenium Manager never downloads anything.
 */
final class Chromium implements AutoCloseable {
    final ChromeDriver driver;
    private final Path screenshots;

    private Chromium(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    static Chromium start(Path profile, Path screenshots) throws IOException {
        String browser = tool("SPOOL_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = tool("SPOOL_CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));   // the console, for CSP refusals
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().withLogFile(profile.resolveSibling("chromedriver.log").toFile()).build();
        Files.createDirectories(screenshots);
        return new Chromium(new ChromeDriver(service, options), screenshots);
    }

    private static String tool(String variable, String fallback) {
        String path = System.getenv(variable);
        path = path == null || path.isBlank() ? fallback : path;
        if (!Files.isExecutable(Path.of(path)))
            throw new AssertionError(variable + ": no executable " + path + " (./spool test installs chromium and chromium-driver)");
        return path;
    }

    /** The whole page, not only the window, as SCREENSHOTS/NAME.png. */
    Path screenshot(String name) throws IOException {
        Path file = screenshots.resolve(name + ".png");
        js("document.activeElement?.blur(); window.scrollTo(0, 0);");   // a sticky header would be drawn mid-page otherwise
        Object shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true)).get("data");
        byte[] png = shot instanceof String s ? Base64.getDecoder().decode(s) : ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(file, png);
        return file;
    }

    /** A phone's screen (375 px wide), or the desktop window again. */
    void phone(boolean on) {
        if (on) driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 375, "height", 812, "deviceScaleFactor", 2, "mobile", true));
        else driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** What the page's console said so far (each read returns the lines since the last). */
    java.util.List<String> console() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
