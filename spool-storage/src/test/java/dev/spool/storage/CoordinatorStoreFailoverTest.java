package dev.spool.storage;

import dev.spool.model.storage.ObjectLocation;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spool.model.client.CoordinatorUrls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's spool:// store follows its coordinators: the first is gone, the second serves the file. */
class CoordinatorStoreFailoverTest {
    private static final TransferRetry QUICK = new TransferRetry(3, Duration.ofMillis(20), Duration.ofMillis(50));
    private static final byte[] CONTENT = "a file the coordinator keeps".getBytes();
    @TempDir Path dir;
    private HttpServer second;

    @BeforeEach
    void start() throws IOException {
        second = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        second.createContext("/api/v1/files/inputs/a.txt", e -> {
            e.getResponseHeaders().add("ETag", "\"1\"");
            e.getResponseHeaders().add("Content-Length", Integer.toString(CONTENT.length));
            if (e.getRequestMethod().equals("HEAD")) {
                e.sendResponseHeaders(200, -1);
            } else {
                e.sendResponseHeaders(200, CONTENT.length);
                try (OutputStream out = e.getResponseBody()) {
                    out.write(CONTENT);
                }
            }
            e.close();
        });
        second.start();
    }

    @AfterEach
    void stop() {
        second.stop(0);
    }

    @Test
    void aCoordinatorThatCannotBeReachedIsLeftForTheNextOneAndStaysLeft() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();   // nothing listens here once closed
        }
        URI live = URI.create("http://127.0.0.1:" + second.getAddress().getPort());
        CoordinatorUrls urls = CoordinatorUrls.parse("http://127.0.0.1:" + dead + "," + live);
        CoordinatorStore store = new CoordinatorStore(urls, () -> "token", QUICK);
        ObjectLocation file = ObjectLocation.parse("spool://inputs/a.txt").orElseThrow();

        store.download(file, dir.resolve("a.txt"), TransferLog.NONE);

        assertThat(Files.readAllBytes(dir.resolve("a.txt"))).isEqualTo(CONTENT);
        assertThat(urls.current()).as("the protocol client, sharing the list, goes there too").isEqualTo(live);
    }
}
