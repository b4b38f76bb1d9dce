package dev.spool.coordinator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theStandardWebhooksTestVectorIsSignedAsTheSpecificationSays() {
        assertThat(WebhookSignature.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringARotationEachSecretSignsAndTheSignaturesAreSpaceSeparated() {
        String both = WebhookSignature.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "webhook_secret"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY);
        assertThat(both.split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        assertThat(both).startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,");
    }

    @Test
    void aSecretWithoutThePrefixIsItsUtf8Bytes() {
        assertThat(WebhookSignature.key("webhook_secret")).isEqualTo("webhook_secret".getBytes(StandardCharsets.UTF_8));
        assertThat(WebhookSignature.header(List.of("webhook_secret"), "msg_1", 1, BODY))
                .isNotEqualTo(WebhookSignature.header(List.of("webhook_secreT"), "msg_1", 1, BODY));
    }
}
