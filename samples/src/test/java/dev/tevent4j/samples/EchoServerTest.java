package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** echo-server on every usable backend, driven by raw Java sockets and by echo-client. */
@Timeout(60)
class EchoServerTest {
    static List<String> backends() {
        return EventLoop.backends();
    }

    /** One full cycle first: the JDK opens some fds once per process (its socket machinery). */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() throws Exception {
        try (EchoServer s = server(EventLoop.backends().getFirst());
             Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            sock.getOutputStream().write(1);
            assertEquals(1, sock.getInputStream().read());
        }
    }

    static EchoServer server(String backend) throws Exception {
        EchoServer s = new EchoServer();
        ServerFixtures.loopback(s.net, backend, 2);
        s.start();
        return s;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void echoesOverRawSocketsAndTheClient(String backend) throws Exception {
        long fdsBefore = TestFds.count();
        try (EchoServer s = server(backend)) {
            // Several raw sockets: with two SO_REUSEPORT loops, the kernel spreads them over both.
            for (int c = 0; c < 6; c++) {
                try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
                    OutputStream out = sock.getOutputStream();
                    InputStream in = sock.getInputStream();
                    byte[] big = new byte[300_000]; // larger than one 64 KiB read: several reads and writes
                    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + c);
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                            out.write(big);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    assertArrayEquals("hello\n".getBytes(StandardCharsets.US_ASCII), in.readNBytes(6));
                    assertArrayEquals(big, in.readNBytes(big.length));
                    writer.join();
                }
            }
            EchoClient client = new EchoClient();
            client.backend = backend;
            client.host = "127.0.0.1";
            client.port = s.port();
            client.connections = 4;
            client.messages = 200;
            client.size = 100;
            EchoClient.Result r = client.run();
            assertEquals(0, r.failedConnections());
            assertEquals(800, r.roundTrips());
            assertEquals(800, r.latencyNanos().getTotalCount());
        }
        assertTrue(TestFds.count() <= fdsBefore, "fds leaked: " + fdsBefore + " -> " + TestFds.count());
    }

    @Test
    void clientReportsARefusedConnectionAsAnError() throws Exception {
        int port;
        try (EchoServer s = server(EventLoop.backends().getFirst())) {
            port = s.port();
        }
        EchoClient client = new EchoClient();
        client.host = "127.0.0.1";
        client.port = port;
        client.connections = 1;
        client.messages = 1;
        client.size = 8;
        assertEquals(1, client.run().failedConnections());
    }

    @Test
    void badCommandLineIsOneClearLine() {
        var err = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cl.execute("echo-server", "--backend", "nope", "--port", "0"));
        assertTrue(err.toString().contains("--backend nope: no backend of that name"), err.toString());
        assertThrows(IllegalArgumentException.class, () -> {
            EchoServer s = new EchoServer();
            s.net.port = 70000;
            s.net.bind = "127.0.0.1";
            s.start();
        });
    }
}
