package dev.spool.cli;

import dev.spool.media.plan.LadderPlan;
import dev.spool.media.probe.MediaInfo;
import dev.spool.media.ffmpeg.Progress;
import dev.spool.media.run.LadderRun;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a run's progress: a bar on a terminal (percent, encode fps, speed, ETA from ffmpeg's own
 * figures, see {@link ProgressText}), JSON lines with {@code --json}, and nothing but the summary
 * when output is piped. The bar's clock runs from when the display was made (the run's start).
 */
final class ProgressDisplay implements LadderRun.Listener, AutoCloseable {
    enum Mode { BAR, JSON, QUIET }

    private static final int SCALE = 1000;
    private final Mode mode;
    private final PrintStream out;
    private ProgressBar bar;
    private volatile long startNanos = System.nanoTime();
    private volatile double percent;
    private volatile String figures = "";
    private volatile String stageNote = "";
    private volatile String stage = "";
    private long lastJsonAt;

    ProgressDisplay(Mode mode, PrintStream out) {
        this.mode = mode;
        this.out = out;
    }

    /** A bar only when a person is watching: stdout is a terminal (the launcher tells us). */
    static Mode choose(boolean json) {
        if (json) return Mode.JSON;
        String tty = System.getProperty("spool.stdout.tty");
        boolean terminal = tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
        return terminal ? Mode.BAR : Mode.QUIET;
    }

    @Override
    public void planned(MediaInfo source, LadderPlan plan) {
        if (mode == Mode.JSON) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("event", "plan");
            event.put("source_duration_sec", source.durationSec());
            event.put("renditions", plan.renditions());
            event.put("audio", plan.audio().isPresent());
            out.println(Json.line(event));
        } else if (mode == Mode.BAR) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %.1f s", source.source().getFileName(), source.durationSec()));
            source.video().ifPresent(v -> line.append(String.format(Locale.ROOT, ", %dx%d %s", v.displayWidth(), v.displayHeight(), v.codec())));
            line.append(" -> ");
            plan.renditions().forEach(r -> line.append(r.name()).append(' '));
            if (plan.audio().isPresent()) line.append("+ audio");
            out.println(line.toString().strip());
        }
    }

    /** The clock counts from here instead (spool wait: when the job started, as the coordinator says). */
    void startedAt(Instant start) {
        startNanos = System.nanoTime() - Duration.between(start, Instant.now()).toNanos();
    }

    /** What the current stage is ("encode", "package", ...), as {@link #stage} last said. */
    String currentStage() {
        return stage;
    }

    /** Whether a bar is on the screen (a line printed now must start on a new one). */
    boolean barShown() {
        return bar != null;
    }

    @Override
    public void progress(Progress p) {
        switch (mode) {
            case BAR -> {
                if (bar == null) bar = newBar();
                percent = p.percent();
                figures = ProgressText.figures(p.fps(), p.speed(), p.etaSec());
                if (stage.equals("encode")) stageNote = "";
                bar.stepTo(Math.round(p.percent() * SCALE / 100));
            }
            case JSON -> {
                long now = System.currentTimeMillis();
                if (!p.done() && now - lastJsonAt < 500) return;   // ffmpeg reports twice a second; keep it at that
                lastJsonAt = now;
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("event", "progress");
                event.put("percent", Math.round(p.percent() * 10) / 10.0);
                event.put("fps", p.fps());
                event.put("speed", p.speed());
                event.put("eta_sec", p.etaSec());
                out.println(Json.line(event));
            }
            case QUIET -> { }
        }
    }

    @Override
    public void stage(String name) {
        stage = name;
        if (mode == Mode.JSON) out.println(Json.line(Map.of("event", "stage", "stage", name)));
        if (mode != Mode.BAR) return;
        switch (name) {
            case "probe" -> out.println("probing the input...");
            // the bar at once: ffmpeg takes seconds to say anything about a first frame
            case "encode" -> {
                stageNote = "starting ffmpeg...";
                if (bar == null) bar = newBar();
            }
            default -> {
                stageNote = name + "...";
                figures = "";
            }
        }
    }

    private ProgressBar newBar() {
        return new ProgressBarBuilder().setTaskName("encode").setInitialMax(SCALE)
                .setUpdateIntervalMillis(250).continuousUpdate()
                .setRenderer((state, width) -> ProgressText.barLine("encode", percent,
                        Duration.ofNanos(System.nanoTime() - startNanos), stageNote.isEmpty() ? figures : stageNote))
                .build();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        bar = null;
    }
}
