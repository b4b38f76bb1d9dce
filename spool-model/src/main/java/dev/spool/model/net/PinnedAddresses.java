package dev.spool.model.net;

import java.net.InetAddress;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The addresses {@link AddressPolicy} checked for a host, which this JVM then connects to. The JDK's
 * HttpClient resolves a URL's host again when it connects, and a DNS answer can change in between
 * (DNS rebinding: public when checked, loopback when connected). So every check pins its answer
 * here for a short while, and {@link Provider}, the JVM's name resolver (installed through
 * META-INF/services, JEP 418), answers a pinned host with the pinned addresses and every other host
 * as the system resolver does. A pin outlives the request it was made for only by {@link #HOLD}; the
 * next check of the host re-resolves and pins again.
 */
public final class PinnedAddresses {
    /** Long enough for the request that follows a check (a connection, its retries), short enough to follow DNS. */
    static final Duration HOLD = Duration.ofSeconds(60);

    private record Pin(List<InetAddress> addresses, long until) {}

    private static final Map<String, Pin> PINS = new ConcurrentHashMap<>();

    private PinnedAddresses() {}

    /** From now on, for {@link #HOLD}, the host resolves to these addresses only. */
    static void pin(String host, List<InetAddress> addresses) {
        if (PINS.size() > 10_000) PINS.values().removeIf(p -> p.until() - System.nanoTime() < 0);   // bound it
        PINS.put(key(host), new Pin(List.copyOf(addresses), System.nanoTime() + HOLD.toNanos()));
    }

    /** The host's pinned addresses, while the pin holds. */
    static Optional<List<InetAddress>> pinned(String host) {
        Pin pin = PINS.get(key(host));
        if (pin == null) return Optional.empty();
        if (pin.until() - System.nanoTime() < 0) {
            PINS.remove(key(host), pin);
            return Optional.empty();
        }
        return Optional.of(pin.addresses());
    }

    /** Forgets every pin (tests that pin names of their own). */
    static void clear() {
        PINS.clear();
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }

    /** The JVM's resolver: pinned hosts get their pinned addresses, the rest the system's answer. */
    public static final class Provider extends InetAddressResolverProvider {
        @Override
        public InetAddressResolver get(Configuration configuration) {
            InetAddressResolver system = configuration.builtinResolver();
            return new InetAddressResolver() {
                @Override
                public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws java.net.UnknownHostException {
                    Optional<List<InetAddress>> pinned = pinned(host);
                    if (pinned.isEmpty()) return system.lookupByName(host, policy);
                    boolean v4 = (policy.characteristics() & LookupPolicy.IPV4) != 0;
                    boolean v6 = (policy.characteristics() & LookupPolicy.IPV6) != 0;
                    List<InetAddress> allowed = pinned.get().stream()
                            .filter(a -> a instanceof java.net.Inet4Address ? v4 : v6).toList();
                    if (allowed.isEmpty()) throw new java.net.UnknownHostException(host + ": no pinned address of the family asked for");
                    return allowed.stream();
                }

                @Override
                public String lookupByAddress(byte[] address) throws java.net.UnknownHostException {
                    return system.lookupByAddress(address);
                }
            };
        }

        @Override
        public String name() {
            return "spool-pinned-addresses";
        }
    }
}
