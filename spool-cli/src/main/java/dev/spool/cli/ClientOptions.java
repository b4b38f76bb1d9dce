package dev.spool.cli;

import dev.spool.model.SpoolError;
import dev.spool.model.client.CoordinatorTrust;
import dev.spool.model.client.CoordinatorUrls;
import dev.spool.model.client.HttpApi;
import picocli.CommandLine.Option;

/** Where the coordinator is and the client token: flags, else SPOOL_COORDINATOR and SPOOL_TOKEN. */
final class ClientOptions {
    @Option(names = "--coordinator", paramLabel = "URL[,URL...]", description = "Coordinator URL (or SPOOL_COORDINATOR; default http://localhost:8080); several, comma-separated or repeated: the first that answers.")
    java.util.List<String> coordinator;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Client token (or SPOOL_TOKEN).")
    String token;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM certificate(s) to trust for an https:// coordinator: its private CA, or its self-signed certificate (or SPOOL_TLS_CA). Default: the system's trust store.")
    java.nio.file.Path tlsCa;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    HttpApi api() {
        return new HttpApi(urls(), clientToken());
    }

    /** The coordinator's own file store ({@code spool://} files), with the client token. */
    dev.spool.storage.CoordinatorStore files() {
        String t = clientToken();
        return new dev.spool.storage.CoordinatorStore(urls(), () -> t, dev.spool.storage.TransferRetry.DEFAULT);
    }

    private CoordinatorUrls urls;

    /** One list for the API and the file store, so both stay on the coordinator that answers. */
    private CoordinatorUrls urls() {
        if (urls == null) urls = (coordinator != null ? CoordinatorUrls.parse(coordinator)
                : CoordinatorUrls.parse(System.getenv().getOrDefault("SPOOL_COORDINATOR", "http://localhost:8080")))
                .trusting(CoordinatorTrust.of(tlsCa));
        return urls;
    }

    private String clientToken() {
        String t = token != null ? token : System.getenv("SPOOL_TOKEN");
        if (t == null || t.isBlank()) throw SpoolError.invalid("--token", "is required (or set SPOOL_TOKEN; the coordinator wrote it to DATA/tokens)");
        return t;
    }
}
