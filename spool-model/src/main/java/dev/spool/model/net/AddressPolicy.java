package dev.spool.model.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses Spool may connect to on a job's behalf (an HTTP input, later a webhook), so a job
 * cannot turn a worker or the coordinator into a proxy into its own network. A host is resolved once;
 * every address it has is classified, and the addresses returned are the ones that were checked, for
 * the caller to connect to; they are also pinned ({@link PinnedAddresses}), so a client that resolves
 * the name again when it connects (the JDK's HttpClient) gets the same answer, not a changed one.
 *
 * <p>Link-local addresses and cloud metadata services are refused in every mode; loopback, private
 * (RFC 1918, unique-local fc00::/7, CGNAT 100.64.0.0/10) and unspecified addresses unless the mode
 * allows private networks. IPv4 written any way a resolver accepts it (hex {@code 0x7f000001}, octal
 * {@code 0177.0.0.1}, short {@code 127.1}, one decimal number {@code 2130706433}) is read here as the
 * address it means, and IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4) as its IPv4 address, so none
 * slips past as "not an address" or as some other IPv6.
 */
public final class AddressPolicy {
    /** PUBLIC_ONLY: the internet only. ALLOW_PRIVATE: also loopback and private networks (never link-local or metadata). */
    public enum Mode { PUBLIC_ONLY, ALLOW_PRIVATE }

    /** What an address is, as far as the policy cares. */
    public enum Kind {
        PUBLIC(true, false), LOOPBACK(false, false), PRIVATE(false, false), UNSPECIFIED(false, false),
        LINK_LOCAL(false, true), METADATA(false, true), MULTICAST(false, true), RESERVED(false, true);

        private final boolean publicAddress;
        private final boolean neverAllowed;

        Kind(boolean publicAddress, boolean neverAllowed) {
            this.publicAddress = publicAddress;
            this.neverAllowed = neverAllowed;
        }

        /** Whether {@code mode} lets Spool connect to an address of this kind. */
        public boolean allowedIn(Mode mode) {
            return publicAddress || (!neverAllowed && mode == Mode.ALLOW_PRIVATE);
        }

        /** In words, for messages: "a private address", "a link-local address". */
        public String described() {
            return switch (this) {
                case PUBLIC -> "a public address";
                case LOOPBACK -> "a loopback address";
                case PRIVATE -> "a private address";
                case UNSPECIFIED -> "an unspecified address";
                case LINK_LOCAL -> "a link-local address";
                case METADATA -> "a cloud metadata address";
                case MULTICAST -> "a multicast address";
                case RESERVED -> "a reserved address";
            };
        }

        /** Whether it is refused whatever the mode (link-local, metadata, multicast, reserved). */
        public boolean neverAllowed() { return neverAllowed; }
    }

    /** An address the policy refuses: which it is and of what kind. */
    public static final class Refused extends RuntimeException {
        private final InetAddress address;
        private final Kind kind;

        Refused(InetAddress address, Kind kind) {
            super(address.getHostAddress() + " is " + kind.described(), null, false, false);
            this.address = address;
            this.kind = kind;
        }

        public InetAddress address() { return address; }

        public Kind kind() { return kind; }
    }

    /** Metadata services reached at ordinary-looking addresses (link-local ones are refused as such already). */
    private static final Set<String> METADATA = Set.of(
            "fd00:ec2:0:0:0:0:0:254",   // AWS IMDS over IPv6 (inside the unique-local range)
            "100.100.100.200",          // Alibaba Cloud (inside the CGNAT range)
            "168.63.129.16");           // Azure's wire server (a public address)

    private final Mode mode;

    public AddressPolicy(Mode mode) {
        this.mode = mode;
    }

    public static AddressPolicy of(boolean allowPrivate) {
        return new AddressPolicy(allowPrivate ? Mode.ALLOW_PRIVATE : Mode.PUBLIC_ONLY);
    }

    public Mode mode() { return mode; }

    /**
     * The host's addresses, each checked: a literal (any IPv4 spelling, IPv6 with or without brackets) is
     * itself; a name is resolved once. One refused address refuses the host (a DNS answer mixing a public
     * and a private address is how a check is slipped past).
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        Optional<InetAddress> literal = literal(host);
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : List.of(InetAddress.getAllByName(host));
        for (InetAddress a : addresses) check(a);
        // the connection that follows resolves the name again (the JDK's HttpClient does): it gets these
        if (literal.isEmpty()) PinnedAddresses.pin(host, addresses);
        return addresses;
    }

    /** Refuses an address this policy does not allow. */
    public void check(InetAddress address) {
        Kind kind = classify(address);
        if (!kind.allowedIn(mode)) throw new Refused(address, kind);
    }

    /** What {@code address} is; IPv4 carried in IPv6 is judged as the IPv4 address it carries. */
    public static Kind classify(InetAddress address) {
        if (METADATA.contains(address.getHostAddress().replaceAll("%.*", ""))) return Kind.METADATA;
        if (address instanceof Inet6Address v6) {
            Optional<Inet4Address> inner = embeddedV4(v6.getAddress());
            if (inner.isPresent()) return classify(inner.get());
            return classify6(v6.getAddress());
        }
        return classify4(address.getAddress());
    }

    private static Kind classify4(byte[] b) {
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff;
        if (a0 == 0) return Kind.UNSPECIFIED;                           // 0.0.0.0/8: "this host"; Linux connects it to loopback
        if (a0 == 127) return Kind.LOOPBACK;
        if (a0 == 169 && a1 == 254) return Kind.LINK_LOCAL;             // 169.254.169.254 and the other metadata services
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) return Kind.PRIVATE;
        if (a0 == 100 && (a1 & 0xc0) == 64) return Kind.PRIVATE;        // 100.64.0.0/10, shared (CGNAT)
        if (a0 == 198 && (a1 & 0xfe) == 18) return Kind.PRIVATE;        // 198.18.0.0/15, benchmarking networks
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) return Kind.PRIVATE;   // 192.0.0.0/24, protocol assignments
        if (a0 >= 224 && a0 < 240) return Kind.MULTICAST;
        if (a0 >= 240) return Kind.RESERVED;                             // 240.0.0.0/4 and the broadcast address
        return Kind.PUBLIC;
    }

    private static Kind classify6(byte[] b) {
        boolean zeroes = true;
        for (int i = 0; i < 15; i++) zeroes &= b[i] == 0;
        if (zeroes && b[15] == 0) return Kind.UNSPECIFIED;               // ::
        if (zeroes && b[15] == 1) return Kind.LOOPBACK;                  // ::1
        if ((b[0] & 0xff) == 0xff) return Kind.MULTICAST;                // ff00::/8
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) return Kind.LINK_LOCAL;   // fe80::/10
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) return Kind.PRIVATE;      // fec0::/10, the old site-local
        if ((b[0] & 0xfe) == 0xfc) return Kind.PRIVATE;                  // fc00::/7, unique local
        return Kind.PUBLIC;
    }

    /** The IPv4 address inside ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64) or 2002:AABB:CCDD:: (6to4). */
    private static Optional<Inet4Address> embeddedV4(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) firstTenZero &= b[i] == 0;
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0 && !((b[12] | b[13] | b[14]) == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (mapped || compatible || nat64) return Optional.of(v4(b[12], b[13], b[14], b[15]));
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) return Optional.of(v4(b[2], b[3], b[4], b[5]));
        return Optional.empty();
    }

    /** The address a host string means without DNS ({@link HostLiteral}), or empty when it is a name. */
    public static Optional<InetAddress> literal(String host) {
        return HostLiteral.parse(host);
    }

    static Inet4Address v4(byte a, byte b, byte c, byte d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[]{a, b, c, d});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }
}
