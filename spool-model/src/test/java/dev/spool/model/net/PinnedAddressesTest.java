package dev.spool.model.net;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM's name resolver is Spool's ({@link PinnedAddresses.Provider}, through META-INF/services):
 * a name pinned by a check resolves to the checked addresses, for InetAddress and for the JDK's
 * HttpClient when it connects, whatever DNS would answer now. The names here exist in no DNS, so
 * only the pin can make them resolve.
 */
class PinnedAddressesTest {
    @AfterEach
    void forget() {
        PinnedAddresses.clear();
    }

    @Test
    void aPinnedNameResolvesToItsPinnedAddressesThroughTheJvmsResolver() throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        PinnedAddresses.pin("checked.spool.test", List.of(loopback));

        assertThat(InetAddress.getAllByName("CHECKED.spool.test")).containsExactly(loopback);
    }

    @Test
    void theJdkHttpClientConnectsToThePinnedAddressNotToAFreshAnswer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            PinnedAddresses.pin("rebound.spool.test", List.of(InetAddress.getLoopbackAddress()));
            HttpResponse<Void> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://rebound.spool.test:" + server.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(reply.statusCode()).isEqualTo(204);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aChecksAnswerIsPinnedForTheConnectionThatFollows() throws Exception {
        List<InetAddress> checked = AddressPolicy.of(true).resolve("localhost");

        assertThat(PinnedAddresses.pinned("localhost")).contains(checked);
        assertThat(PinnedAddresses.pinned("LocalHost")).as("names are case-blind").contains(checked);
        assertThat(PinnedAddresses.pinned("other.spool.test")).isEmpty();
    }

    @Test
    void aLiteralIsItsOwnAddressAndIsNotPinned() throws Exception {
        AddressPolicy.of(true).resolve("127.0.0.1");

        assertThat(PinnedAddresses.pinned("127.0.0.1")).isEmpty();
    }
}
