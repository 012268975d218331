package dev.tevent4j.samples;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** echo-server's --idle-timeout on every usable backend. */
@Timeout(60)
class EchoServerTimeoutsTest {
    static EchoServer server(String backend, String idle) throws Exception {
        EchoServer s = new EchoServer();
        ServerFixtures.loopback(s.net, backend, 2);
        s.net.idleTimeout = ServerOptions.Timeout.parse(idle);
        s.start();
        return s;
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void silentConnectionIsClosedAndABusyOneIsNot(String backend) throws Exception {
        try (EchoServer es = server(backend, "1s");
             Socket silent = Peers.connect(es.port(), 6000);
             Socket busy = Peers.connect(es.port(), 6000)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 12; i++) { // 3 s, a message every 250 ms: never idle for 1 s
                busy.getOutputStream().write(i);
                assertEquals(i, busy.getInputStream().read(), "echo " + i);
                Thread.sleep(250);
            }
            Peers.Ending e = Peers.readUntilClosed(silent); // closed long ago: returns at once
            assertTrue(e.closed(), "silent connection still open");
            assertEquals(0, e.bytes().length);
            assertTrue(System.nanoTime() - t0 > 2_500_000_000L);
            busy.getOutputStream().write(99);
            assertEquals(99, busy.getInputStream().read(), "the busy connection was cut");
            Peers.Ending b = Peers.readUntilClosed(busy); // now it goes idle
            assertTrue(b.closed() && b.millis() >= 800 && b.millis() < 4000, "idle close after " + b.millis() + " ms");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void twoHundredSilentConnectionsAreAllClosedAndTheFdsReturn(String backend) throws Exception {
        try (EchoServer es = server(backend, "1s")) {
            long fds = TestFds.count();
            List<Socket> silent = Peers.silent(es.port(), 200, 6000);
            try {
                long n = Peers.awaitFdsAtMost(fds + 200, 6000);
                assertTrue(n <= fds + 200, "server still holds connections: " + fds + " + 200 -> " + n);
                for (Socket s : silent) assertTrue(Peers.readUntilClosed(s).closed());
            } finally {
                Peers.closeAll(silent);
            }
            long after = Peers.awaitFdsAtMost(fds, 3000);
            assertTrue(after <= fds, "fds leaked: " + fds + " -> " + after);
        }
    }
}
