package dev.spool.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on loopback that cuts one connection after it has carried a number of bytes
 * back to the client: a network that drops a download half-way, for real, below HTTP.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final long cutAfterBytes;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final AtomicInteger cuts = new AtomicInteger();

    CuttingProxy(int targetPort, long cutAfterBytes) throws IOException {
        this.targetPort = targetPort;
        this.cutAfterBytes = cutAfterBytes;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() { return listener.getLocalPort(); }

    /** How many connections were cut (at most one). */
    int cuts() { return cuts.get(); }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Thread.ofVirtual().start(() -> pump(client, server, Long.MAX_VALUE));
                Thread.ofVirtual().start(() -> pump(server, client, cutAfterBytes));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long limit) {
        byte[] buffer = new byte[8192];
        long carried = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                carried += n;
                if (carried > limit && armed.compareAndSet(true, false)) {
                    cuts.incrementAndGet();
                    from.close();
                    to.close();
                    return;
                }
            }
        } catch (IOException ignored) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
