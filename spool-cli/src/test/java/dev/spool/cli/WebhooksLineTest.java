package dev.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.model.protocol.Wire;
import org.junit.jupiter.api.Test;

/** {@code spool webhooks list}'s line never prints a URL's path secret, whatever the coordinator sent. */
class WebhooksLineTest {
    @Test
    void aDeliveryLineShowsTheUrlRedacted() throws Exception {
        String line = WebhooksCommand.line(Wire.JSON.readTree("""
                {"id": "msg_abc", "event": "failed", "state": "FAILED", "url": "https://discord.com/api/webhooks/123/s3cret-token?wait=true",
                 "attempts": 3, "last_status": 500}"""));
        assertThat(line).contains("https://discord.com/api/webhooks/…").doesNotContain("s3cret").doesNotContain("123")
                .contains("attempts 3", "last 500");
    }

    @Test
    void anAlreadyRedactedUrlIsShownAsItCame() throws Exception {
        assertThat(WebhooksCommand.line(Wire.JSON.readTree("""
                {"id": "msg_abc", "event": "queued", "state": "DELIVERED", "url": "https://hooks.slack.com/services/T0/…", "attempts": 1}""")))
                .contains("https://hooks.slack.com/services/T0/…");
    }
}
