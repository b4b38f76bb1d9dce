package dev.spool.model.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A host string read as an address literal, the way resolvers read it, so that a spelling Spool does
 * not recognise cannot reach an address the policy would refuse: glibc's resolver (and so the JDK's)
 * accepts inet_aton's forms, in which "0x7f000001", "0177.0.0.1", "127.1" and "2130706433" are all
 * 127.0.0.1.
 */
final class HostLiteral {
    private HostLiteral() {}

    /**
     * The address a host string means without DNS, or empty when it is a name. IPv4 as inet_aton reads it:
     * one to four parts separated by dots, each decimal, octal (leading 0) or hex (0x), the last filling the
     * bytes left; one trailing dot allowed. IPv6 with or without brackets.
     */
    static Optional<InetAddress> parse(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.contains(":")) {
            try {
                return Optional.of(InetAddress.getByName(h));   // a literal: the JDK parses it without DNS
            } catch (UnknownHostException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        String[] parts = h.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) return Optional.empty();
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> v = number(parts[i]);
            if (v.isEmpty()) return Optional.empty();
            values[i] = v.get();
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) return Optional.empty();
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        if (last >= (1L << (8 * (4 - (values.length - 1))))) return Optional.empty();
        address |= last;
        return Optional.of(AddressPolicy.v4((byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address));
    }

    private static Optional<Long> number(String part) {
        String p = part.toLowerCase(Locale.ROOT);
        try {
            if (p.startsWith("0x")) return p.length() > 2 && p.length() <= 10 ? Optional.of(Long.parseLong(p.substring(2), 16)) : Optional.empty();
            if (p.length() > 1 && p.startsWith("0")) return p.matches("0[0-7]{1,11}") ? Optional.of(Long.parseLong(p, 8)) : Optional.empty();
            return p.matches("\\d{1,10}") ? Optional.of(Long.parseLong(p)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
