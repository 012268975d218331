package dev.tevent4j.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A port held by another socket is refused with one clear line (exit code 2), even when that
 * socket set SO_REUSEPORT and so would let the server's own SO_REUSEPORT sockets join it; the
 * server's loops still share their port, and a restart binds over its own TIME_WAIT leftovers.
 */
@Timeout(120)
class PortInUseTest {
    @TempDir
    Path dir;

    private static EchoServer echoServer(int port, int threads) {
        EchoServer s = new EchoServer();
        ServerFixtures.loopback(s.net, "epoll", threads);
        s.net.port = port;
        return s;
    }

    /** A ServerSocket on 127.0.0.1 (or the wildcard address) that set SO_REUSEPORT before its bind, as a second server would. */
    private static ServerSocket reusePortHolder(String address) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        return ss;
    }

    private static void assertRefused(int port, EchoServer s) throws Exception {
        long fdsBefore = TestFds.count();
        PortInUseException e = assertThrows(PortInUseException.class, s::start);
        assertEquals(port, e.port());
        assertEquals("port " + port + " on 127.0.0.1 is in use by another socket (bind: EADDRINUSE);"
                + " stop what listens there or choose another --port", e.getMessage());
        s.close();
        assertEquals(fdsBefore, TestFds.count(), "the refused server left no socket open");
    }

    @Test
    void aReusePortListenerOfThisProcessIsNotJoined() throws Exception {
        try (ServerSocket holder = reusePortHolder("127.0.0.1")) {
            assertRefused(holder.getLocalPort(), echoServer(holder.getLocalPort(), 4));
        }
    }

    @Test
    void aPlainListenerAndAWildcardOneAreRefusedToo() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertRefused(plain.getLocalPort(), echoServer(plain.getLocalPort(), 2));
        }
        try (ServerSocket wildcard = reusePortHolder("0.0.0.0")) {
            assertRefused(wildcard.getLocalPort(), echoServer(wildcard.getLocalPort(), 2));
        }
    }

    @Test
    void theCommandLineSaysSoInOneLine() throws Exception {
        try (ServerSocket holder = reusePortHolder("127.0.0.1")) {
            StringWriter err = new StringWriter();
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int port = holder.getLocalPort();
            assertEquals(2, cl.execute("echo-server", "--backend", "epoll", "--threads", "2", "--port", String.valueOf(port)));
            assertEquals("echo-server: port " + port + " on 127.0.0.1 is in use by another socket (bind: EADDRINUSE);"
                    + " stop what listens there or choose another --port", err.toString().strip());
        }
    }

    @Test
    void aSecondServerProcessIsRefusedAndTheFirstKeepsItsConnections(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        try (MainChild first = MainChild.start(dir, List.of(), Map.of(), "echo-server", "--port", "0", "--threads", "2", "--backend", "epoll")) {
            int port = first.port();
            assertTrue(port > 0, first.stderr());
            // Another process of the same user: SO_REUSEPORT alone would let it join and take half the connections.
            for (String command : List.of("echo-server", "httpd", "fileserve")) {
                List<String> args = new java.util.ArrayList<>(List.of(command, "--port", String.valueOf(port), "--threads", "2", "--backend", "epoll"));
                if (!command.equals("echo-server")) args.addAll(List.of("--root", root.toString()));
                try (MainChild second = MainChild.start(dir, List.of(), Map.of(), args.toArray(String[]::new))) {
                    assertEquals(2, second.exitValue(), command + ": " + second.stdout() + second.stderr());
                    assertEquals(command + ": port " + port + " on 127.0.0.1 is in use by another socket (bind: EADDRINUSE);"
                            + " stop what listens there or choose another --port", second.stderr().strip());
                }
            }
            // And the first one is still the only one answering on the port.
            for (int i = 0; i < 8; i++) assertEchoes(port);
        }
    }

    @Test
    void theServersOwnLoopsShareThePort() throws Exception {
        try (EchoServer s = echoServer(0, 4)) {
            int port = s.start();
            assertEquals(4, listeningSockets(port), "one SO_REUSEPORT listening socket per loop on port " + port);
            for (int i = 0; i < 16; i++) assertEchoes(port);
        }
    }

    @Test
    void aRestartBindsOverItsOwnTimeWaitConnections() throws Exception {
        int port;
        try (EchoServer s = echoServer(0, 2)) {
            port = s.start();
            // Connections the server closes first (at its close) stay in TIME_WAIT on its port.
            List<Socket> open = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket c = new Socket(InetAddress.getLoopbackAddress(), port);
                c.getOutputStream().write(1);
                assertEquals(1, c.getInputStream().read());
                open.add(c);
            }
            s.close();
            for (Socket c : open) {
                assertEquals(-1, c.getInputStream().read(), "closed by the server");
                c.close();
            }
        }
        try (EchoServer again = echoServer(port, 2)) {
            assertEquals(port, again.start());
            assertEchoes(port);
        }
    }

    private static void assertEchoes(int port) throws IOException {
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            out.write("ping".getBytes());
            assertEquals("ping", new String(in.readNBytes(4)));
        }
    }

    /** Sockets in LISTEN state (0A) on 127.0.0.1:port, from /proc/net/tcp (this network namespace). */
    private static long listeningSockets(int port) throws IOException {
        String local = String.format("0100007F:%04X", port);
        try (var lines = Files.lines(Path.of("/proc/net/tcp"))) {
            return lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f[1].equals(local) && f[3].equals("0A")).count();
        }
    }
}
