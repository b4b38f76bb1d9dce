package dev.spool.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written byte by byte on a socket, so a hostile request goes out exactly as typed: a
 * path the JDK client would refuse or normalise ({@code %00}, {@code ..}, {@code //etc}), a body
 * longer than it says, a header no client sends. One request per connection.
 */
final class RawSocketHttp {
    private static final int TIMEOUT_MS = 30_000;

    /** What came back: the status and the body, de-chunked. */
    record Reply(int status, String headers, String body) {
        boolean json() {
            return headers.toLowerCase(Locale.ROOT).contains("content-type: application/json");
        }
    }

    private RawSocketHttp() {}

    /** Sends METHOD PATH with these headers ("Name: value" lines) and body, announcing its length. */
    static Reply send(int port, String method, String path, String token, byte[] body, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (token != null) head.append("Authorization: Bearer ").append(token).append("\r\n");
        for (String h : headers) head.append(h).append("\r\n");
        if (body != null) head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        return exchange(port, head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** Sends the bytes as they are (a request line and headers of the caller's own), then reads the reply. */
    static Reply exchange(int port, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            try {
                if (body != null) out.write(body);
                out.flush();
            } catch (IOException refusedMidBody) {
                // the server answered (413) and closed before the body was all sent: the reply is still there to read
            }
            return read(socket.getInputStream());
        }
    }

    private static Reply read(InputStream in) throws IOException {
        byte[] all;
        try {
            all = in.readAllBytes();
        } catch (java.net.SocketException reset) {
            all = new byte[0];
        }
        String text = new String(all, StandardCharsets.ISO_8859_1);   // one char a byte: chunk sizes count bytes
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) throw new IOException("not an HTTP reply: " + text);
        String headers = text.substring(0, end);
        String body = text.substring(end + 4);
        if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) body = dechunk(body);
        body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Reply(Integer.parseInt(headers.substring(9, 12)), headers, body);
    }

    private static String dechunk(String chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int line = chunked.indexOf("\r\n", at);
            if (line < 0) break;
            int size = Integer.parseInt(chunked.substring(at, line).split(";")[0].trim(), 16);
            if (size == 0) break;
            out.writeBytes(chunked.substring(line + 2, line + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            at = line + 2 + size + 2;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
