package dev.spool.coordinator.api;

import dev.spool.model.SpoolError;
import io.javalin.community.ssl.SslPlugin;
import nl.altindag.ssl.pem.util.PemUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * HTTPS on the coordinator's one port from a PEM certificate chain and its private key, as certbot,
 * mkcert and openssl write them. The files are checked here, before anything listens, so a bad one
 * is one line naming its flag; {@link CertificateReload} swaps in renewed files while running.
 */
public record CoordinatorTls(Path cert, Path key) {
    public static final String CERT_FLAG = "--tls-cert";
    public static final String KEY_FLAG = "--tls-key";

    public CoordinatorTls {
        if (cert == null) throw SpoolError.invalid(CERT_FLAG, "is required with " + KEY_FLAG);
        if (key == null) throw SpoolError.invalid(KEY_FLAG, "is required with " + CERT_FLAG);
        check(cert, key);
    }

    /** Both files given, or neither (plain HTTP): null then. */
    public static CoordinatorTls of(Path cert, Path key) {
        return cert == null && key == null ? null : new CoordinatorTls(cert, key);
    }

    /** The plugin serving HTTPS only on host:port (no plain port, no redirect), with the JDK's TLS. */
    SslPlugin plugin(String host, int port) {
        return new SslPlugin(ssl -> {
            ssl.host = host;
            ssl.insecure = false;
            ssl.secure = true;
            ssl.securePort = port;
            ssl.redirect = false;
            ssl.http2 = false;          // HTTP/1.1 as without TLS: long polls and body limits behave the same
            ssl.sniHostCheck = false;   // workers often dial an IP address, which sends no SNI name to check
            identity(ssl);
        });
    }

    void identity(io.javalin.community.ssl.SslConfig ssl) {
        ssl.pemFromPath(cert.toString(), key.toString());
    }

    /** Reads both files as the plugin will and checks that the key belongs to the first certificate. */
    static void check(Path cert, Path key) {
        X509Certificate leaf = certificate(cert);
        PrivateKey privateKey = privateKey(key);
        if (!matches(privateKey, leaf.getPublicKey()))
            throw bad(KEY_FLAG, key, "is not the private key of the certificate in " + cert);
    }

    private static X509Certificate certificate(Path cert) {
        readable(CERT_FLAG, cert);
        List<X509Certificate> chain;
        try {
            chain = PemUtils.loadCertificate(cert);
        } catch (RuntimeException e) {
            throw bad(CERT_FLAG, cert, "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (chain.isEmpty()) throw bad(CERT_FLAG, cert, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        return chain.get(0);
    }

    private static PrivateKey privateKey(Path key) {
        readable(KEY_FLAG, key);
        try {
            PrivateKey k = PemUtils.loadPrivateKey(key);
            if (k == null) throw new IllegalArgumentException("no key");
            return k;
        } catch (RuntimeException e) {
            throw bad(KEY_FLAG, key, "is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
    }

    private static void readable(String flag, Path file) {
        if (!Files.isRegularFile(file)) throw bad(flag, file, Files.isDirectory(file) ? "is a directory" : "does not exist");
        if (!Files.isReadable(file)) throw bad(flag, file, "cannot be read (permissions)");
    }

    /** Signs a few bytes with the key and verifies them with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certified.getAlgorithm())
                && !(algorithm.equals("SHA256withECDSA") && certified.getAlgorithm().startsWith("EC")))
            return false;
        try {
            byte[] probe = "spool".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certified);
            verify.update(probe);
            return verify.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static SpoolError bad(String flag, Path file, String why) {
        return new SpoolError(SpoolError.Code.INPUT_UNREADABLE, flag, flag + " " + file + ": " + why);
    }

    /** Whether listening here keeps traffic on this machine (no warning about clear-text tokens then). */
    public static boolean loopback(String host) {
        if (host == null) return false;
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.startsWith("127.");
    }

    public static final String CLEAR_TEXT_WARNING = "tokens cross the network in clear: give --tls-cert/--tls-key or put it behind a TLS reverse proxy";
}
