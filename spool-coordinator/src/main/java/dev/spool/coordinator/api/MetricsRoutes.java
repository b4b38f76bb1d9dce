package dev.spool.coordinator.api;

import dev.spool.coordinator.metrics.CoordinatorMetrics;
import dev.spool.model.protocol.Api;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /metrics} for Prometheus: the exposition format is chosen from the Accept header by
 * client_java (Prometheus text, or OpenMetrics when the scraper asks for it). Protocol buffers need
 * a library Spool does not ship, so a scraper that prefers them gets text, which every one accepts.
 */
final class MetricsRoutes {
    private final CoordinatorMetrics metrics;
    private final ExpositionFormats formats = ExpositionFormats.init();

    MetricsRoutes(CoordinatorMetrics metrics) {
        this.metrics = metrics;
    }

    void register(Javalin app, Role role) {
        app.get(Api.METRICS, this::scrape, role);
    }

    private void scrape(Context ctx) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(ctx.header("Accept"));
        if (!writer.isAvailable()) writer = formats.getPrometheusTextFormatWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, metrics.registry().scrape());
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }
}
