package dev.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spool.model.SpoolError;
import dev.spool.model.net.RedactedUrl;
import dev.spool.model.protocol.Api;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code spool webhooks list|redeliver}: what the coordinator's webhook calls came to, and sending one again. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Webhook deliveries: list them, send one again.",
        subcommands = {WebhooksCommand.List.class, WebhooksCommand.Redeliver.class, WebhooksCommand.Endpoints.class,
                WebhooksCommand.Resume.class})
final class WebhooksCommand implements Runnable {
    @Override
    public void run() {
        throw SpoolError.invalid("webhooks", "needs a subcommand: list or redeliver");
    }

    /**
     * One delivery in a line: its id, event, state, URL, attempts and what the last one met. The URL
     * is redacted here too, should the coordinator be one that did not (its path may hold a secret).
     */
    static String line(JsonNode d) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s  %-9s %-9s %s  attempts %d", d.path("id").asText(),
                d.path("event").asText(), d.path("state").asText(), RedactedUrl.of(d.path("url").asText()), d.path("attempts").asInt()));
        if (d.hasNonNull("last_status")) s.append("  last ").append(d.path("last_status").asInt());
        if (d.hasNonNull("last_error")) s.append("  ").append(d.path("last_error").asText());
        if (d.hasNonNull("next_attempt_at")) s.append("  next ").append(d.path("next_attempt_at").asText());
        return s.toString();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest deliveries, newest first.")
    static final class List implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Option(names = "--state", paramLabel = "pending|delivered|failed|disabled", description = "Only these.") String state;
        @Option(names = "--limit", defaultValue = "50", description = "How many, 1 to 500. Default: ${DEFAULT-VALUE}.") int limit;

        @Override
        public Integer call() {
            String query = "?limit=" + limit + (state != null ? "&state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8) : "");
            JsonNode reply = client.api().call("GET", Api.WEBHOOK_DELIVERIES + query, null, ClientCommands.TIMEOUT);
            if (client.json) ClientCommands.print(reply);
            else for (JsonNode d : reply.path("deliveries")) System.out.println(line(d));
            return 0;
        }
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true, description = "Send a delivery again, at once, under the same webhook-id.")
    static final class Redeliver implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "ID", description = "The webhook-id (msg_...), as spool webhooks list shows it.") String id;

        @Override
        public Integer call() {
            if (!id.matches("msg_[A-Za-z0-9_-]{1,40}")) throw SpoolError.invalid("ID", "is not a webhook-id (msg_...): " + id);
            client.api().call("POST", Api.WEBHOOK_REDELIVER.replace("{id}", id), null, ClientCommands.TIMEOUT);
            System.out.println("redelivering " + id);
            return 0;
        }
    }

    @Command(name = "endpoints", mixinStandardHelpOptions = true, description = "Endpoints whose calls fail now; paused ones are no longer called.")
    static final class Endpoints implements Callable<Integer> {
        @Mixin ClientOptions client;

        @Override
        public Integer call() {
            JsonNode reply = client.api().call("GET", Api.WEBHOOK_ENDPOINTS, null, ClientCommands.TIMEOUT);
            if (client.json) ClientCommands.print(reply);
            else for (JsonNode e : reply.path("endpoints"))
                System.out.println(RedactedUrl.of(e.path("url").asText()) + "  failing since " + e.path("failing_since").asText()
                        + (e.path("paused").asBoolean() ? "  PAUSED since " + e.path("paused_at").asText() + " (spool webhooks resume URL)" : "")
                        + (e.hasNonNull("last_error") ? "  " + e.path("last_error").asText() : ""));
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Call a paused endpoint again; its waiting deliveries go out.")
    static final class Resume implements Callable<Integer> {
        @Mixin ClientOptions client;
        @Parameters(paramLabel = "URL", description = "The endpoint, as spool webhooks endpoints shows it.") String url;

        @Override
        public Integer call() {
            client.api().call("POST", Api.WEBHOOK_RESUME, java.util.Map.of("url", url), ClientCommands.TIMEOUT);
            System.out.println("resumed " + RedactedUrl.of(url));
            return 0;
        }
    }
}
