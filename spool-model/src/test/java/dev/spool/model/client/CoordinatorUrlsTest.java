package dev.spool.model.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spool.model.SpoolError;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinatorUrlsTest {

    @Test
    void urlsComeCommaSeparatedOrRepeatedAndKeepTheirOrder() {
        CoordinatorUrls urls = CoordinatorUrls.parse(List.of("http://a:8080/, http://b:8080", "https://c.example/spool"));

        assertThat(urls.given()).containsExactly(URI.create("http://a:8080"), URI.create("http://b:8080"),
                URI.create("https://c.example/spool"));
        assertThat(urls.toString()).isEqualTo("http://a:8080,http://b:8080,https://c.example/spool");
    }

    @Test
    void aMalformedValueIsAUsageErrorNamingTheFlag() {
        for (String bad : List.of("queue-host:8080", "http://a:8080,,http://b:8080", "http://a:8080,", "ftp://a", "http://a b",
                "http://a:8080?x=1", "")) {
            assertThatThrownBy(() -> CoordinatorUrls.parse(bad)).as(bad).isInstanceOfSatisfying(SpoolError.class, e -> {
                assertThat(e.code()).isEqualTo(SpoolError.Code.INVALID);
                assertThat(e.field()).isEqualTo("--coordinator");
                assertThat(e.getMessage()).startsWith("--coordinator ");
            });
        }
        assertThatThrownBy(() -> CoordinatorUrls.parse(List.of()))
                .isInstanceOfSatisfying(SpoolError.class, e -> assertThat(e.getMessage()).contains("SPOOL_COORDINATOR"));
    }

    @Test
    void aFailedCoordinatorIsLeftForTheNextAndAfterTheLastTheFirstIsTriedAgain() {
        CoordinatorUrls urls = CoordinatorUrls.parse("http://10.0.0.1:8080,http://10.0.0.2:8080,http://10.0.0.3:8080");
        URI a = URI.create("http://10.0.0.1:8080");
        URI b = URI.create("http://10.0.0.2:8080");
        URI c = URI.create("http://10.0.0.3:8080");

        assertThat(urls.current()).isEqualTo(a);
        urls.failed(URI.create("http://10.0.0.1:8080/api/v1/workers/sync"));
        assertThat(urls.current()).isEqualTo(b);
        urls.failed(a);   // a second caller that also failed on A: it does not skip B
        assertThat(urls.current()).as("stays on the one that answers").isEqualTo(b);
        urls.failed(b);
        assertThat(urls.current()).isEqualTo(c);
        urls.failed(c);
        assertThat(urls.current()).isEqualTo(a);
    }

    @Test
    void aNameWithSeveralAddressesIsTriedAtEachAddressInTurn() throws UnknownHostException {
        Map<String, List<InetAddress>> dns = Map.of(
                "queue.internal", List.of(InetAddress.getByName("10.1.0.1"), InetAddress.getByName("10.1.0.2")),
                "other.internal", List.of(InetAddress.getByName("10.2.0.1")));
        CoordinatorUrls urls = new CoordinatorUrls(CoordinatorUrls.urls(List.of("http://queue.internal:8080/x,http://other.internal:9000,"
                + "https://queue.internal")), host -> dns.getOrDefault(host, List.of()));

        assertThat(urls.size()).isEqualTo(4);
        assertThat(urls.current()).isEqualTo(URI.create("http://10.1.0.1:8080/x"));
        urls.failed(urls.current());
        assertThat(urls.current()).isEqualTo(URI.create("http://10.1.0.2:8080/x"));
        urls.failed(urls.current());
        assertThat(urls.current()).as("a name with one address stays a name").isEqualTo(URI.create("http://other.internal:9000"));
        urls.failed(urls.current());
        assertThat(urls.current()).as("https keeps its name, for its certificate").isEqualTo(URI.create("https://queue.internal"));
    }
}
