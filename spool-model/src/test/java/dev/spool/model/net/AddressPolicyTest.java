package dev.spool.model.net;

import dev.spool.model.net.AddressPolicy.Kind;
import dev.spool.model.net.AddressPolicy.Mode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every spelling of the addresses a job must not reach, classified and refused; public ones pass. */
class AddressPolicyTest {
    private static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(Mode.PUBLIC_ONLY);
    private static final AddressPolicy ALLOW_PRIVATE = new AddressPolicy(Mode.ALLOW_PRIVATE);

    @Test
    void everyIpv4SpellingOfLoopbackIsReadAsLoopback() {
        for (String spelling : List.of("127.0.0.1", "0x7f000001", "0X7F000001", "0177.0.0.1", "0177.00.00.01", "127.1", "127.0.1",
                "2130706433", "017700000001", "0x7f.0.0.1", "0x7f.1", "127.0.0.1.", "127.255.255.254")) {
            assertThat(AddressPolicy.literal(spelling)).as(spelling).isPresent();
            assertThat(AddressPolicy.classify(AddressPolicy.literal(spelling).orElseThrow())).as(spelling).isEqualTo(Kind.LOOPBACK);
            assertThatThrownBy(() -> PUBLIC_ONLY.resolve(spelling)).as(spelling).isInstanceOfSatisfying(AddressPolicy.Refused.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.LOOPBACK));
        }
        assertThat(AddressPolicy.literal("0x7f000001").orElseThrow().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(AddressPolicy.literal("127.1").orElseThrow().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(AddressPolicy.literal("0177.0.0.1").orElseThrow().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(AddressPolicy.literal("2130706433").orElseThrow().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void theMetadataServiceInEverySpellingIsRefusedEvenWhenPrivateAddressesAreAllowed() throws Exception {
        for (String spelling : List.of("169.254.169.254", "0xa9fea9fe", "0251.0376.0251.0376", "2852039166", "169.254.43518",
                "0xa9.0xfe.0xa9.0xfe", "[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe", "[fd00:ec2::254]", "100.100.100.200",
                "168.63.129.16", "169.254.170.2")) {
            assertThatThrownBy(() -> ALLOW_PRIVATE.resolve(spelling)).as(spelling).isInstanceOfSatisfying(AddressPolicy.Refused.class,
                    e -> assertThat(e.kind().neverAllowed()).as(e.getMessage()).isTrue());
        }
        assertThat(AddressPolicy.classify(InetAddress.getByName("fd00:ec2::254"))).as("unique-local, but metadata").isEqualTo(Kind.METADATA);
    }

    @Test
    void eachKindOfAddressIsClassified() throws Exception {
        Map<String, Kind> kinds = Map.ofEntries(
                Map.entry("10.1.2.3", Kind.PRIVATE), Map.entry("172.16.0.1", Kind.PRIVATE), Map.entry("172.31.255.255", Kind.PRIVATE),
                Map.entry("172.32.0.1", Kind.PUBLIC), Map.entry("192.168.1.1", Kind.PRIVATE), Map.entry("100.64.0.1", Kind.PRIVATE),
                Map.entry("100.128.0.1", Kind.PUBLIC), Map.entry("0.0.0.0", Kind.UNSPECIFIED), Map.entry("0", Kind.UNSPECIFIED),
                Map.entry("169.254.0.1", Kind.LINK_LOCAL), Map.entry("224.0.0.1", Kind.MULTICAST), Map.entry("239.255.255.250", Kind.MULTICAST),
                Map.entry("255.255.255.255", Kind.RESERVED), Map.entry("240.0.0.1", Kind.RESERVED), Map.entry("8.8.8.8", Kind.PUBLIC),
                Map.entry("93.184.216.34", Kind.PUBLIC),
                Map.entry("::1", Kind.LOOPBACK), Map.entry("[::1]", Kind.LOOPBACK), Map.entry("0:0:0:0:0:0:0:1", Kind.LOOPBACK),
                Map.entry("::", Kind.UNSPECIFIED), Map.entry("fe80::1", Kind.LINK_LOCAL), Map.entry("febf::1", Kind.LINK_LOCAL),
                Map.entry("fec0::1", Kind.PRIVATE), Map.entry("fc00::1", Kind.PRIVATE), Map.entry("fd12:3456::1", Kind.PRIVATE),
                Map.entry("ff02::1", Kind.MULTICAST), Map.entry("2001:4860:4860::8888", Kind.PUBLIC),
                Map.entry("::ffff:127.0.0.1", Kind.LOOPBACK), Map.entry("::ffff:7f00:1", Kind.LOOPBACK), Map.entry("::ffff:10.0.0.1", Kind.PRIVATE),
                Map.entry("::127.0.0.1", Kind.LOOPBACK), Map.entry("64:ff9b::10.0.0.1", Kind.PRIVATE), Map.entry("64:ff9b::7f00:1", Kind.LOOPBACK),
                Map.entry("2002:7f00:1::", Kind.LOOPBACK), Map.entry("2002:a9fe:a9fe::1", Kind.LINK_LOCAL), Map.entry("::ffff:8.8.8.8", Kind.PUBLIC));
        kinds.forEach((spelling, kind) -> assertThat(AddressPolicy.classify(AddressPolicy.literal(spelling).orElseThrow()))
                .as(spelling).isEqualTo(kind));
    }

    @Test
    void theModesDifferOnlyOnLoopbackPrivateAndUnspecified() throws Exception {
        for (String allowedThere : List.of("127.0.0.1", "10.0.0.1", "[::1]", "fd12::1", "0.0.0.0", "100.64.1.1")) {
            assertThatThrownBy(() -> PUBLIC_ONLY.resolve(allowedThere)).as(allowedThere).isInstanceOf(AddressPolicy.Refused.class);
            assertThat(ALLOW_PRIVATE.resolve(allowedThere)).as(allowedThere).hasSize(1);
        }
        for (String never : List.of("169.254.1.1", "fe80::1", "224.0.0.1", "ff02::1", "255.255.255.255"))
            assertThatThrownBy(() -> ALLOW_PRIVATE.resolve(never)).as(never).isInstanceOf(AddressPolicy.Refused.class);
        assertThat(PUBLIC_ONLY.resolve("8.8.8.8")).extracting(InetAddress::getHostAddress).containsExactly("8.8.8.8");
        assertThat(PUBLIC_ONLY.resolve("0x08080808")).extracting(InetAddress::getHostAddress).as("the address meant, to connect to").containsExactly("8.8.8.8");
    }

    @Test
    void namesAreResolvedOnceAndTheCheckedAddressesReturned() throws Exception {
        List<InetAddress> localhost = ALLOW_PRIVATE.resolve("localhost");
        assertThat(localhost).isNotEmpty().allSatisfy(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThatThrownBy(() -> PUBLIC_ONLY.resolve("localhost")).isInstanceOfSatisfying(AddressPolicy.Refused.class,
                e -> assertThat(e.getMessage()).contains("is a loopback address"));
        assertThatThrownBy(() -> PUBLIC_ONLY.resolve("no-such-host.invalid")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void thingsThatAreNotAddressesAreNames() {
        for (String name : List.of("example.com", "1.2.3.4.example.com", "0x", "08.0.0.1", "256.0.0.1", "1.2.3.4.5", "0x1ffffffff",
                "1.16777216", "", "a:b:c"))
            assertThat(AddressPolicy.literal(name)).as(name).isEmpty();
    }
}
