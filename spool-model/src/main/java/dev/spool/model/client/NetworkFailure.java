package dev.spool.model.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * Says in words why a network call failed, for a message a person reads: "connection refused",
 * not "ConnectException" (the JDK's HTTP client often throws one with no message at all).
 */
public final class NetworkFailure {
    private NetworkFailure() {}

    public static String describe(Throwable failure) {
        String message = null;
        boolean connectFailed = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // the connect timeout is a kind of request timeout: test it first
            if (t instanceof HttpConnectTimeoutException) return "no connection within the connect timeout (is the host up?)";
            if (t instanceof HttpTimeoutException) return "no reply within the time allowed";
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host name";
            if (t instanceof NoRouteToHostException) return "no route to the host";
            if (text.contains("connection refused")) return "connection refused (is it running, on that port?)";
            if (text.contains("connection reset")) return "the connection was reset";
            if (text.contains("certification path") || text.contains("pkix path"))
                return "its TLS certificate is not trusted (give its CA, or the certificate itself, with "
                        + CoordinatorTrust.FLAG + " FILE or " + CoordinatorTrust.ENV + ")";
            if (text.contains("subject alternative name")) return "its TLS certificate does not name this host or address";
            if (text.contains("unrecognized ssl message") || text.contains("unsupported or unrecognized"))
                return "it does not speak TLS there (an http:// URL?)";
            // a TLS port answers a plain request with an alert record, which no HTTP parser reads
            if (text.contains("parsing http/1.1 status line")) return "its reply is not HTTP (an https:// coordinator given as http://?)";
            if (t instanceof ConnectException) {
                if (!text.isEmpty()) return t.getMessage();
                connectFailed = true;
            }
            if (message == null && !text.isEmpty() && !looksLikeAClassName(t.getMessage())) message = t.getMessage();
        }
        if (message != null) return message;
        // the JDK's HTTP client reports a refused connection as a ConnectException with no message
        return connectFailed ? "connection refused (is it running, on that port?)" : "the connection failed";
    }

    /** JDK exceptions sometimes carry their cause's toString() as their message: "java.net.ConnectException". */
    private static boolean looksLikeAClassName(String message) {
        return message.matches("(?s)(java|javax|jdk|sun)\\.[\\w.$]+(: .*)?");
    }
}
