package dev.tevent4j.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Raw-socket peers for the timeout and parsing tests: silent, trickling, and how a connection ended. */
final class Peers {
    private Peers() {}

    /** A loopback connection whose reads give up after {@code readTimeoutMs} (so a server that never closes fails the test, not hangs it). */
    static Socket connect(int port, int readTimeoutMs) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(readTimeoutMs);
        return s;
    }

    /** What the server sent until it closed, and how long that took. */
    record Ending(byte[] bytes, boolean closed, long millis) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Reads until the server closes (EOF or a reset: both mean it is gone) or the socket's read
     * timeout passes with nothing new ({@code closed} false then).
     */
    static Ending readUntilClosed(Socket s) throws IOException {
        long t0 = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        boolean closed;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                closed = false;
                break;
            } catch (IOException reset) { // "Connection reset": the server closed with our bytes unread
                closed = true;
                break;
            }
            if (n < 0) { closed = true; break; }
            got.write(buf, 0, n);
        }
        return new Ending(got.toByteArray(), closed, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Writes {@code bytes} one at a time, every {@code periodMs}, on a daemon thread, until they
     * are all sent or a write fails (the server closed); counts the bytes written.
     */
    static Thread trickle(Socket s, byte[] bytes, long periodMs, AtomicInteger written) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    written.incrementAndGet();
                    Thread.sleep(periodMs);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server (or the test): the trickle ends
            }
        });
    }

    /** Opens {@code n} connections that never send anything. */
    static List<Socket> silent(int port, int n, int readTimeoutMs) throws IOException {
        List<Socket> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) out.add(connect(port, readTimeoutMs));
        } catch (IOException e) {
            closeAll(out);
            throw e;
        }
        return out;
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket the test is done with
            }
        }
    }

    /** Polls {@code TestFds.count()} until it is at most {@code limit} or {@code ms} pass; returns the last count. */
    static long awaitFdsAtMost(long limit, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        long n;
        while ((n = TestFds.count()) > limit && System.nanoTime() < deadline) Thread.sleep(50);
        return n;
    }
}
