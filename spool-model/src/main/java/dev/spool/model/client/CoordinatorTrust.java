package dev.spool.model.client;

import dev.spool.model.SpoolError;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Which certificates an https:// coordinator may show: the system's trust store, or only the PEM
 * certificates of {@code --tls-ca} (a private CA, or the coordinator's self-signed certificate).
 * Read with the JDK alone, so spool-model keeps to Jackson.
 */
public final class CoordinatorTrust {
    public static final String FLAG = "--tls-ca";
    public static final String ENV = "SPOOL_TLS_CA";
    /** The JDK's trust store, as for any https:// site. */
    public static final CoordinatorTrust SYSTEM = new CoordinatorTrust(null, null);

    private final SSLContext context;   // null: the JDK's default
    private final Path file;

    private CoordinatorTrust(SSLContext context, Path file) {
        this.context = context;
        this.file = file;
    }

    /** The flag's file, else SPOOL_TLS_CA's, else the system trust store. */
    public static CoordinatorTrust of(Path flag) {
        if (flag != null) return fromPem(flag);
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? SYSTEM : fromPem(Path.of(env));
    }

    /** Trusts only the certificates in this PEM file. */
    public static CoordinatorTrust fromPem(Path file) {
        if (Files.isDirectory(file)) throw bad(file, "is a directory");
        if (!Files.isRegularFile(file)) throw bad(file, "does not exist");
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw bad(file, "is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (certificates.isEmpty()) throw bad(file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) store.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new CoordinatorTrust(context, file);
        } catch (GeneralSecurityException | IOException e) {
            throw SpoolError.environment("cannot set up TLS trust from " + FLAG + " " + file + ": " + e.getMessage());
        }
    }

    /**
     * A client builder that trusts what this does. HTTP/1.1, which is what the coordinator speaks:
     * with the JDK's default, HTTP/2, every plain connection would first ask to be upgraded (h2c).
     */
    public HttpClient.Builder client() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        return context == null ? builder : builder.sslContext(context);
    }

    private static SpoolError bad(Path file, String why) {
        return new SpoolError(SpoolError.Code.INPUT_UNREADABLE, FLAG, FLAG + " " + file + ": " + why);
    }

    @Override
    public String toString() {
        return file == null ? "system trust store" : FLAG + " " + file;
    }
}
