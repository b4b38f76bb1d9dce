package dev.spool.model.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook URLs as logs and views show them: the secrets in their path, query and user info masked. */
class RedactedUrlTest {
    @Test
    void aDiscordWebhookKeepsApiWebhooksAndMasksItsIdAndToken() {
        assertThat(RedactedUrl.of("https://discord.com/api/webhooks/1234567890/AbCdEf-secret_token"))
                .isEqualTo("https://discord.com/api/webhooks/…");
    }

    @Test
    void aSlackWebhookMasksEverythingAfterItsSecondSegment() {
        assertThat(RedactedUrl.of("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"))
                .isEqualTo("https://hooks.slack.com/services/T00000000/…");
    }

    @Test
    void theLastSegmentIsMaskedHoweverShortThePath() {
        assertThat(RedactedUrl.of("https://ntfy.sh/my-secret-topic")).isEqualTo("https://ntfy.sh/…");
        assertThat(RedactedUrl.of("http://127.0.0.1:8080/hooks/spool")).isEqualTo("http://127.0.0.1:8080/hooks/…");
        assertThat(RedactedUrl.of("https://example.com/a/b/c/")).isEqualTo("https://example.com/a/b/…");
    }

    @Test
    void theQueryFragmentAndUserInfoAreDropped() {
        assertThat(RedactedUrl.of("https://user:pass@example.com/hooks/spool?token=s3cret#x")).isEqualTo("https://example.com/hooks/…");
        assertThat(RedactedUrl.of("https://example.com/?token=s3cret")).isEqualTo("https://example.com/");
        assertThat(RedactedUrl.of("https://example.com?token=s3cret")).isEqualTo("https://example.com");
    }

    @Test
    void anIpv6HostAndItsPortAreShown() {
        assertThat(RedactedUrl.of("http://[::1]:9000/x/y/z")).isEqualTo("http://[::1]:9000/x/y/…");
    }

    @Test
    void aUrlThatDoesNotParseIsMaskedWhole() {
        assertThat(RedactedUrl.of("https://exa mple.com/secret")).isEqualTo("…");
        assertThat(RedactedUrl.of("not a url/secret")).isEqualTo("…");
        assertThat(RedactedUrl.of(null)).isNull();
    }
}
