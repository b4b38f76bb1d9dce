package dev.spool.coordinator.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signing (standardwebhooks.com): {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body}. A secret written {@code whsec_BASE64} is the bytes it encodes (the
 * specification's form); any other secret is its UTF-8 bytes (seed 000's {@code "webhook_secret"}).
 * During a rotation several secrets sign at once, their signatures separated by spaces, so a
 * receiver that knows either accepts the call.
 */
public final class WebhookSignature {
    private static final String PREFIX = "whsec_";

    private WebhookSignature() {}

    /** The webhook-signature header's value for these secrets. */
    public static String header(List<String> secrets, String id, long timestampSeconds, byte[] body) {
        List<String> signatures = new ArrayList<>();
        for (String secret : secrets) signatures.add("v1," + sign(key(secret), id, timestampSeconds, body));
        return String.join(" ", signatures);
    }

    static byte[] key(String secret) {
        if (secret.startsWith(PREFIX)) {
            try {
                return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException notBase64) {
                // a whsec_ secret that is not base64 was made by hand: sign with it as written
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
