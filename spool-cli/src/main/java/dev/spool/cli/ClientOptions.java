package dev.spool.cli;

import dev.spool.job.SpoolError;
import dev.spool.protocol.HttpApi;
import picocli.CommandLine.Option;

/** Where the coordinator is and the client token: flags, else SPOOL_COORDINATOR and SPOOL_TOKEN. */
final class ClientOptions {
    @Option(names = "--coordinator", paramLabel = "URL", description = "Coordinator URL (or SPOOL_COORDINATOR; default http://localhost:8080).")
    String coordinator;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Client token (or SPOOL_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    HttpApi api() {
        return new HttpApi(url(), clientToken());
    }

    /** The coordinator's own file store ({@code spool://} files), with the client token. */
    dev.spool.storage.CoordinatorStore files() {
        String t = clientToken();
        return new dev.spool.storage.CoordinatorStore(url(), () -> t, dev.spool.storage.TransferRetry.DEFAULT);
    }

    private String url() {
        return coordinator != null ? coordinator : System.getenv().getOrDefault("SPOOL_COORDINATOR", "http://localhost:8080");
    }

    private String clientToken() {
        String t = token != null ? token : System.getenv("SPOOL_TOKEN");
        if (t == null || t.isBlank()) throw SpoolError.invalid("--token", "is required (or set SPOOL_TOKEN; the coordinator wrote it to DATA/tokens)");
        return t;
    }
}
