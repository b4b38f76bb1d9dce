package dev.spool.model.client;

import dev.spool.model.SpoolError;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The coordinators a client may talk to, in the order given, and the one it talks to now. Every
 * coordinator on one database serves the same queue (leases and worker credentials are in the
 * database), so when the current one cannot be reached the next one is tried, and it stays current
 * while it answers. An http URL whose name has several addresses counts once per address: the
 * JDK's HTTP client would only ever try the first. (https URLs keep their name, which their
 * certificate is checked against.)
 */
public final class CoordinatorUrls {
    /** The option's name in messages: the flag, and its environment variable. */
    public static final String FLAG = "--coordinator";
    private static final System.Logger LOG = System.getLogger(CoordinatorUrls.class.getName());

    private final List<URI> given;
    private final Function<String, List<InetAddress>> resolver;
    private List<URI> targets;
    private int current;
    private volatile CoordinatorTrust trust = CoordinatorTrust.SYSTEM;

    CoordinatorUrls(List<URI> given, Function<String, List<InetAddress>> resolver) {
        this.given = List.copyOf(given);
        this.resolver = resolver;
    }

    /** One value (a flag or SPOOL_COORDINATOR) holding one URL or several separated by commas. */
    public static CoordinatorUrls parse(String value) {
        return parse(value == null ? List.of() : List.of(value));
    }

    /** Values of a repeated flag, each holding one URL or several separated by commas. */
    public static CoordinatorUrls parse(List<String> values) {
        return new CoordinatorUrls(urls(values), CoordinatorUrls::lookUp);
    }

    static List<URI> urls(List<String> values) {
        List<URI> urls = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            if (value == null) continue;
            for (String part : value.split(",", -1)) urls.add(url(part.strip()));
        }
        if (urls.isEmpty()) throw SpoolError.invalid(FLAG, "needs a coordinator's http(s):// URL (or set SPOOL_COORDINATOR)");
        return urls;
    }

    private static URI url(String text) {
        String why = "must be http(s):// URLs separated by commas, such as http://queue-a:8080,http://queue-b:8080, not '" + text + "'";
        if (text.isEmpty()) throw SpoolError.invalid(FLAG, why);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw SpoolError.invalid(FLAG, why);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null)
            throw SpoolError.invalid(FLAG, why);
        return URI.create(text.replaceAll("/+$", ""));
    }

    /** Which certificates https:// coordinators may show; set before clients are made from this. */
    public CoordinatorUrls trusting(CoordinatorTrust trust) {
        this.trust = trust == null ? CoordinatorTrust.SYSTEM : trust;
        return this;
    }

    public CoordinatorTrust trust() { return trust; }

    /** The URLs as given, in order. */
    public List<URI> given() { return given; }

    /** Where requests go now. */
    public synchronized URI current() {
        return targets().get(current);
    }

    /** How many places there are to try (URLs, with a name's addresses spelled out). */
    public synchronized int size() {
        return targets().size();
    }

    /**
     * A request made from {@code target} (or a URL under it) could not reach it: the next one
     * becomes current, unless another caller moved on already. After the last, names are looked up
     * again (addresses change) and the first one is tried again.
     */
    public synchronized void failed(URI target) {
        List<URI> all = targets();
        String failed = target.toString();
        String now = all.get(current).toString();
        if (!failed.equals(now) && !failed.startsWith(now + "/")) return;
        current++;
        if (current >= all.size()) {
            current = 0;
            targets = null;
        }
        if (given.size() > 1) LOG.log(System.Logger.Level.WARNING, "cannot reach the coordinator at " + now + "; trying "
                + (targets == null ? all.get(0) : all.get(current)));
    }

    private List<URI> targets() {
        if (targets == null) {
            List<URI> all = new ArrayList<>();
            for (URI url : given) all.addAll(addresses(url));
            targets = List.copyOf(all);
            current = Math.min(current, targets.size() - 1);
        }
        return targets;
    }

    /** An http URL with a name of several addresses: one URL per address; anything else as it is. */
    private List<URI> addresses(URI url) {
        if (!url.getScheme().equalsIgnoreCase("http")) return List.of(url);
        List<InetAddress> found = resolver.apply(url.getHost());
        if (found.size() < 2) return List.of(url);
        List<URI> each = new ArrayList<>();
        for (InetAddress a : found) {
            try {
                each.add(new URI(url.getScheme(), null, a.getHostAddress(), url.getPort(), url.getPath(), null, null));
            } catch (URISyntaxException e) {
                return List.of(url);
            }
        }
        return each;
    }

    private static List<InetAddress> lookUp(String host) {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();   // the request will say so, naming the URL
        }
    }

    @Override
    public String toString() {
        return String.join(",", given.stream().map(URI::toString).toList());
    }
}
