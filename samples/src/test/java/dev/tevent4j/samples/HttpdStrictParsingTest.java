package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * httpd refuses the request heads a lenient proxy could read differently (RFC 9112), with 400
 * (501 for a transfer coding) and a closed connection, on every usable backend; ordinary heads
 * and pipelining still work. Raw bytes over real sockets.
 */
@Timeout(60)
class HttpdStrictParsingTest {
    @TempDir
    static Path dir;
    static final Map<String, Httpd> servers = new LinkedHashMap<>();
    static long fdsBefore;

    @BeforeAll
    static void start() throws Exception {
        fdsBefore = TestFds.count();
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>\n");
        Files.writeString(root.resolve("a.txt"), "AAA");
        for (String be : EventLoop.backends()) {
            Httpd h = new Httpd();
            ServerFixtures.loopback(h.net, be, 1);
            h.root = root;
            h.start();
            servers.put(be, h);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        servers.values().forEach(Httpd::close);
        long after = Peers.awaitFdsAtMost(fdsBefore, 3000);
        assertTrue(after <= fdsBefore, "fds leaked: " + fdsBefore + " -> " + after);
    }

    static final String OK = "GET /index.html HTTP/1.1\r\nHost: x\r\n";

    /** name, raw head, the status it must get. */
    static List<Object[]> forms() {
        return List.of(
                new Object[] {"tab between field name and colon (RFC 9112 5.1)", OK + "Content-Length\t: 5\r\n\r\n", 400},
                new Object[] {"space between field name and colon", OK + "Content-Length : 5\r\n\r\n", 400},
                new Object[] {"bare LF inside the head (2.2)", OK + "X-A: a\nContent-Length: 5\r\n\r\n", 400},
                new Object[] {"bare LFs only", "GET /index.html HTTP/1.1\nHost: x\n\n", 400},
                new Object[] {"bare CR inside the head", OK + "X-A: a\rContent-Length: 5\r\n\r\n", 400},
                new Object[] {"obs-fold with SP (5.2)", OK + "X-A: a\r\n Content-Length: 5\r\n\r\n", 400},
                new Object[] {"obs-fold with HTAB", OK + "X-A: a\r\n\tContent-Length: 5\r\n\r\n", 400},
                new Object[] {"two Host headers (3.2)", "GET /index.html HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400},
                new Object[] {"Transfer-Encoding and Content-Length (6.1)", OK + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400},
                new Object[] {"Transfer-Encoding alone: not implemented", OK + "Transfer-Encoding: chunked\r\n\r\n", 501},
                new Object[] {"two Content-Length headers (6.3)", OK + "Content-Length: 5\r\nContent-Length: 5\r\n\r\n", 400},
                new Object[] {"Content-Length not digits", OK + "Content-Length: +5\r\n\r\n", 400},
                new Object[] {"field name with a non-tchar", OK + "Bad[Name]: v\r\n\r\n", 400},
                new Object[] {"field name with obs-text", OK + "X-\u00dc: v\r\n\r\n", 400},
                new Object[] {"control character in a value", OK + "X-A: a\u0001b\r\n\r\n", 400},
                new Object[] {"NUL in a value", OK + "X-A: a\u0000b\r\n\r\n", 400},
                new Object[] {"control character in the target", "GET /a\u0001.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                new Object[] {"method not a token", "G(T /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 400},
                new Object[] {"nothing but the blank line", "\r\n\r\n", 400});
    }

    static List<Arguments> formsOnEveryBackend() {
        List<Arguments> out = new ArrayList<>();
        for (String be : EventLoop.backends()) for (Object[] f : forms()) out.add(Arguments.of(be, f[0], f[1], f[2]));
        return out;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("formsOnEveryBackend")
    void refusesTheHeadAndCloses(String backend, String form, String head, int status) throws Exception {
        try (Socket s = Peers.connect(servers.get(backend).port(), 3000)) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            // What a lenient reader would take as the next request: it must never be answered.
            out.write("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Peers.Ending e = Peers.readUntilClosed(s);
            assertTrue(e.text().startsWith("HTTP/1.1 " + status + " "), form + ": got " + e.text());
            assertTrue(e.text().contains("Connection: close\r\n"), form + ": got " + e.text());
            assertTrue(e.closed(), form + ": the server kept the connection open");
            assertEquals(1, e.text().split("HTTP/1.1 ", -1).length - 1, form + ": more than one response: " + e.text());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void ordinaryHeadsAndPipeliningStillWork(String backend) throws Exception {
        try (Socket s = Peers.connect(servers.get(backend).port(), 3000)) {
            String heads = "GET /index.html HTTP/1.1\r\nHost:x\r\n" // no space after the colon
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) \"quoted\" \u00e9\r\n" // obs-text in a value is allowed
                    + "Accept: */*\r\nX-Tabbed:\tvalue\t\r\nContent-Length: 0\r\n!#$%&'*+-.^_`|~09azAZ: tchars\r\n\r\n"
                    + "HEAD /a.txt HTTP/1.1\r\nhost: y\r\n\r\n"
                    + "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" // HTTP/1.0: no Host needed
                    + "GET /a.txt?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(heads.getBytes(StandardCharsets.ISO_8859_1));
            HttpdTest.Response r = HttpdTest.read(s.getInputStream(), false);
            assertEquals(200, r.status());
            assertEquals("<h1>hi</h1>\n", new String(r.body(), StandardCharsets.UTF_8));
            r = HttpdTest.read(s.getInputStream(), true);
            assertEquals(200, r.status());
            assertEquals("3", r.headers().get("content-length"));
            r = HttpdTest.read(s.getInputStream(), false);
            assertEquals("AAA", new String(r.body(), StandardCharsets.UTF_8));
            r = HttpdTest.read(s.getInputStream(), false);
            assertEquals("AAA", new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("close", r.headers().get("connection"));
            assertEquals(-1, s.getInputStream().read());
        }
    }
}
