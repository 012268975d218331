package dev.tevent4j.samples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * httpd's --header-timeout, --idle-timeout and --send-timeout on every usable backend, with
 * short timeouts and raw sockets: silent, trickling, idle, slow-reading and busy clients.
 */
@Timeout(60)
class HttpdTimeoutsTest {
    @TempDir
    static Path dir;
    static Path root;
    /** Larger than what the kernel buffers on loopback between a stalled reader and the server. */
    static final int BIG = 16 << 20;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>\n");
        ServerFixtures.randomFile(root.resolve("big.bin"), BIG, 3);
    }

    static Httpd server(String backend, String header, String idle, String send) throws Exception {
        Httpd h = new Httpd();
        ServerFixtures.loopback(h.net, backend, 2);
        h.root = root;
        h.headerTimeout = ServerOptions.Timeout.parse(header);
        h.net.idleTimeout = ServerOptions.Timeout.parse(idle);
        h.sendTimeout = ServerOptions.Timeout.parse(send);
        h.start();
        return h;
    }

    static final byte[] SLOW_HEAD = "GET /index.html HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
            .getBytes(StandardCharsets.ISO_8859_1); // never ends: no blank line

    static void assertTimedOutWith408(Peers.Ending e, String who) {
        assertTrue(e.closed(), who + ": still open after " + e.millis() + " ms");
        assertTrue(e.text().startsWith("HTTP/1.1 408 Request Timeout\r\n"), who + ": got " + e.text());
        assertTrue(e.text().contains("Connection: close\r\n"), who + ": got " + e.text());
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void silentAndTricklingClientsGet408AtTheHeaderDeadline(String backend) throws Exception {
        long fds = TestFds.count();
        try (Httpd h = server(backend, "1s", "30s", "30s");
             Socket silent = Peers.connect(h.port(), 6000);
             Socket first = Peers.connect(h.port(), 6000);
             Socket second = Peers.connect(h.port(), 6000)) {
            AtomicInteger firstSent = new AtomicInteger(), secondSent = new AtomicInteger();
            long t0 = System.nanoTime();
            Thread t1 = Peers.trickle(first, SLOW_HEAD, 300, firstSent);
            // A kept-alive connection: one full request, then the next head trickles in; its
            // deadline counts from its first byte, not from accept.
            assertEquals(200, HttpdTest.exchange(second, HttpdTest.get("/index.html")).status());
            Thread.sleep(700); // past what is left of a deadline counted from accept
            long t2Start = System.nanoTime();
            Thread t2 = Peers.trickle(second, SLOW_HEAD, 300, secondSent);

            Peers.Ending s = Peers.readUntilClosed(silent);
            assertTimedOutWith408(s, "silent");
            long silentMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(silentMs >= 900 && silentMs < 4000, "silent closed after " + silentMs + " ms");

            Peers.Ending f = Peers.readUntilClosed(first);
            assertTimedOutWith408(f, "trickling first request");
            assertTrue(firstSent.get() >= 3, "the trickler kept sending: " + firstSent.get() + " bytes");
            Peers.Ending g = Peers.readUntilClosed(second);
            assertTimedOutWith408(g, "trickling second request");
            long secondMs = (System.nanoTime() - t2Start) / 1_000_000;
            assertTrue(secondMs >= 900 && secondMs < 4000, "second head timed out after " + secondMs + " ms from its first byte");
            assertTrue(secondSent.get() >= 3, "the trickler kept sending: " + secondSent.get() + " bytes");
            t1.join(5000);
            t2.join(5000);
        }
        long after = Peers.awaitFdsAtMost(fds, 3000);
        assertTrue(after <= fds, "fds leaked: " + fds + " -> " + after);
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void idleKeepAliveConnectionIsClosedSilently(String backend) throws Exception {
        try (Httpd h = server(backend, "30s", "1s", "30s"); Socket s = Peers.connect(h.port(), 6000)) {
            assertEquals(200, HttpdTest.exchange(s, HttpdTest.get("/index.html")).status());
            Peers.Ending e = Peers.readUntilClosed(s);
            assertTrue(e.closed(), "idle connection still open after " + e.millis() + " ms");
            assertEquals("", e.text(), "an idle close says nothing");
            assertTrue(e.millis() >= 800 && e.millis() < 4000, "closed after " + e.millis() + " ms");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void busyClientsAndSlowButLiveDownloadsAreNotCut(String backend) throws Exception {
        try (Httpd h = server(backend, "1s", "1s", "1s"); Socket s = Peers.connect(h.port(), 6000)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 12; i++) { // 3 s of requests, each gap well inside every timeout
                assertEquals(200, HttpdTest.exchange(s, HttpdTest.get("/index.html")).status(), "request " + i);
                Thread.sleep(250);
            }
            assertTrue(System.nanoTime() - t0 > 2_500_000_000L);
            // A download read at ~6 MB/s takes ~3 s, three send timeouts: bytes keep being
            // acknowledged, so it is not cut.
            s.getOutputStream().write(HttpdTest.get("/big.bin").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            HttpdTest.Response head = HttpdTest.read(in, true);
            assertEquals(200, head.status());
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            while (got < BIG) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, BIG - got));
                if (n < 0) break;
                got += n;
                Thread.sleep(10);
            }
            assertEquals(BIG, got, "the slow download was cut");
            // (No request after it: the idle timeout starts once the reply is in the kernel's
            // buffers, which may be before we have read them all, as with nginx's keepalive_timeout.)
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void clientThatStopsReadingIsDroppedAtTheSendTimeout(String backend) throws Exception {
        long fds = TestFds.count();
        // Idle and header timeouts off: only the send timeout can end this connection.
        try (Httpd h = server(backend, "0", "0", "1s"); Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), h.port()));
            s.getOutputStream().write(HttpdTest.get("/big.bin").getBytes(StandardCharsets.ISO_8859_1));
            s.setSoTimeout(5000);
            assertEquals('H', s.getInputStream().read()); // the reply started: the server holds its socket and pipe now
            long t0 = System.nanoTime();
            // While we do not read, the server's side of the connection must go away: its fd count drops.
            long open = TestFds.count();
            long after = Peers.awaitFdsAtMost(open - 1, 5000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(after <= open - 1, "the server still holds the stalled connection after " + ms + " ms");
            assertTrue(ms >= 900, "dropped after only " + ms + " ms");
            Peers.Ending e = Peers.readUntilClosed(s);
            assertTrue(e.closed(), "not closed");
            assertTrue(e.bytes().length < BIG, "the whole file arrived: " + e.bytes().length);
        }
        long after = Peers.awaitFdsAtMost(fds, 3000);
        assertTrue(after <= fds, "fds leaked: " + fds + " -> " + after);
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void twoHundredSilentConnectionsAreAllClosedAndTheFdsReturn(String backend) throws Exception {
        try (Httpd h = server(backend, "1s", "1s", "1s")) {
            long fds = TestFds.count(); // the loops' own fds included
            List<Socket> silent = Peers.silent(h.port(), 200, 6000);
            List<Socket> leaving = Peers.silent(h.port(), 50, 6000);
            try {
                Thread.sleep(900);
                Peers.closeAll(leaving); // clients that go right at the deadline: their timers must not touch a closed connection
                // Our 200 ends stay open; the server's 200 must close: back to baseline + 200.
                long n = Peers.awaitFdsAtMost(fds + 200, 6000);
                assertTrue(n <= fds + 200, "server still holds connections: " + fds + " + 200 -> " + n);
                for (Socket s : silent) assertTimedOutWith408(Peers.readUntilClosed(s), "silent");
            } finally {
                Peers.closeAll(silent);
            }
            try (Socket s = Peers.connect(h.port(), 6000)) { // still serving
                assertEquals(200, HttpdTest.exchange(s, HttpdTest.get("/index.html")).status());
            }
            long after = Peers.awaitFdsAtMost(fds, 3000);
            assertTrue(after <= fds, "fds leaked: " + fds + " -> " + after);
        }
    }
}
