package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients that ask for a large file and never read it must not stall anyone else: their sends
 * wait for room on the loop's poller (or in the kernel, on the rings), not on an I/O worker.
 * Before the thread pool parked waiting ops on the loop, httpd on epoll answered none of the
 * normal requests once eight such clients held its workers.
 */
@Timeout(60)
class HttpdNonReadingClientsTest {
    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(dir.resolve("www"));
        ServerFixtures.randomFile(root.resolve("big.bin"), 32 << 20, 3);
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>\n");
    }

    static List<String> backends() {
        return EventLoop.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void normalClientsAreAnsweredWhileEightClientsNeverRead(String backend) throws Exception {
        Httpd h = new Httpd();
        ServerFixtures.loopback(h.net, backend, 1);
        h.root = root;
        h.start();
        List<Socket> stalled = new ArrayList<>();
        try (h) {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096); // the peer's window fills at once
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), h.port()));
                stalled.add(s);
                OutputStream out = s.getOutputStream();
                out.write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            Thread.sleep(300); // the server is now blocked on all eight: its sends have no room
            for (int i = 0; i < 6; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    HttpdTest.Response r = HttpdTest.read(s.getInputStream(), false);
                    assertEquals(200, r.status(), "normal client " + i + " on " + backend);
                    assertEquals("<h1>hi</h1>\n", new String(r.body(), StandardCharsets.UTF_8));
                }
            }
        } finally {
            for (Socket s : stalled) s.close();
        }
    }
}
