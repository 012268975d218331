package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** httpd on every usable backend, with a raw socket client and (when installed) curl. */
@Timeout(60)
class HttpdTest {
    @TempDir
    static Path dir;
    static Path root;
    static byte[] blob;

    @BeforeAll
    static void files() throws Exception {
        root = ServerFixtures.rootWithEscape(dir, "www", "escape.txt");
        blob = ServerFixtures.randomFile(root.resolve("blob.bin"), 2_500_000, 7);
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>\n");
        Files.createDirectories(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "body{}");
    }

    static List<String> backends() {
        return EventLoop.backends();
    }

    static Httpd server(String backend) throws Exception {
        Httpd h = new Httpd();
        ServerFixtures.loopback(h.net, backend, 2);
        h.root = root;
        h.start();
        return h;
    }

    /** A parsed response: status, lower-case headers, body. */
    record Response(int status, Map<String, String> headers, byte[] body) {}

    /** Reads one response; {@code head}: the request was HEAD (no body follows). */
    static Response read(InputStream in, boolean head) throws Exception {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new java.io.EOFException("connection closed in the head");
            h.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        String[] lines = h.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int len = head ? 0 : Integer.parseInt(headers.get("content-length"));
        return new Response(status, headers, in.readNBytes(len));
    }

    static Response exchange(Socket s, String request) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(s.getInputStream(), request.startsWith("HEAD"));
    }

    static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n";
    }

    @ParameterizedTest
    @MethodSource("backends")
    void servesFilesRangesAndErrorsOverOneKeptAliveConnection(String backend) throws Exception {
        long fds = TestFds.count();
        try (Httpd h = server(backend); Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
            Response r = exchange(s, get("/"));
            assertEquals(200, r.status());
            assertEquals("text/html; charset=utf-8", r.headers().get("content-type"));
            assertEquals("<h1>hi</h1>\n", new String(r.body(), StandardCharsets.UTF_8));

            r = exchange(s, get("/blob.bin"));
            assertEquals(200, r.status());
            assertEquals("application/octet-stream", r.headers().get("content-type"));
            assertArrayEquals(blob, r.body());

            r = exchange(s, "HEAD /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("6", r.headers().get("content-length"));
            assertEquals("text/css", r.headers().get("content-type"));

            r = exchange(s, get("/blob.bin", "Range: bytes=1000-1999"));
            assertEquals(206, r.status());
            assertEquals("bytes 1000-1999/2500000", r.headers().get("content-range"));
            assertArrayEquals(Arrays.copyOfRange(blob, 1000, 2000), r.body());
            r = exchange(s, get("/blob.bin", "Range: bytes=-10"));
            assertEquals(206, r.status());
            assertArrayEquals(Arrays.copyOfRange(blob, blob.length - 10, blob.length), r.body());
            r = exchange(s, get("/blob.bin", "Range: bytes=2499990-"));
            assertArrayEquals(Arrays.copyOfRange(blob, blob.length - 10, blob.length), r.body());

            r = exchange(s, get("/blob.bin", "Range: bytes=2500000-"));
            assertEquals(416, r.status());
            assertEquals("bytes */2500000", r.headers().get("content-range"));
            assertEquals(404, exchange(s, get("/missing.txt")).status());
            assertEquals(404, exchange(s, get("/css")).status()); // a directory without index.html
            assertEquals(403, exchange(s, get("/../secret.txt")).status());
            assertEquals(403, exchange(s, get("/css/%2e%2e/%2e%2e/secret.txt")).status());
            assertEquals(403, exchange(s, get("/escape.txt")).status());
            r = exchange(s, "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.headers().get("allow"));
            assertEquals(414, exchange(s, get("/" + "a".repeat(5000))).status());

            // Pipelined: two requests in one write, answered in order on the same connection.
            OutputStream out = s.getOutputStream();
            out.write((get("/css/site.css") + get("/index.html")).getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("body{}", new String(read(s.getInputStream(), false).body(), StandardCharsets.UTF_8));
            assertEquals("<h1>hi</h1>\n", new String(read(s.getInputStream(), false).body(), StandardCharsets.UTF_8));

            // Garbage: 400, and the server closes.
            r = exchange(s, "NONSENSE\r\n\r\n");
            assertEquals(400, r.status());
            assertEquals("close", r.headers().get("connection"));
            assertEquals(-1, s.getInputStream().read());
        }
        assertTrue(TestFds.count() <= fds, "fds leaked: " + fds + " -> " + TestFds.count());
    }

    @Test
    void connectionCloseAndHttp10CloseAfterTheReply() throws Exception {
        try (Httpd h = server(EventLoop.backends().getFirst())) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
                assertEquals("close", exchange(s, get("/index.html", "Connection: close")).headers().get("connection"));
                assertEquals(-1, s.getInputStream().read());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
                assertEquals(200, exchange(s, "GET /index.html HTTP/1.0\r\n\r\n").status());
                assertEquals(-1, s.getInputStream().read());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
                assertEquals(400, exchange(s, "GET /index.html HTTP/1.1\r\n\r\n").status()); // HTTP/1.1 needs Host
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), h.port())) { // a request line longer than the head buffer
                assertEquals(414, exchange(s, "GET /" + "b".repeat(9000) + " HTTP/1.1\r\n\r\n").status());
            }
        }
    }

    @Test
    void rangeParsing() {
        assertArrayEquals(new long[] {0, 9}, Httpd.range("bytes=0-9", 100));
        assertArrayEquals(new long[] {90, 99}, Httpd.range("bytes=90-", 100));
        assertArrayEquals(new long[] {90, 99}, Httpd.range("bytes=90-1000", 100));
        assertArrayEquals(new long[] {0, 99}, Httpd.range("bytes=-1000", 100));
        assertEquals(0, Httpd.range("bytes=100-", 100).length);
        assertEquals(0, Httpd.range("bytes=-0", 100).length);
        assertNull(Httpd.range("bytes=0-1,5-6", 100)); // several ranges: ignored, 200 with the whole file
        assertNull(Httpd.range("items=0-1", 100));
        assertNull(Httpd.range("bytes=5-1", 100));
        assertNull(Httpd.range("bytes=x-1", 100));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void curlGetsTheSameBytes(String backend) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/curl"))) {
            System.out.println("HttpdTest: skipping the curl test: /usr/bin/curl is not installed");
            return;
        }
        try (Httpd h = server(backend)) {
            String base = "http://127.0.0.1:" + h.port();
            Path got = dir.resolve("curl-" + backend);
            assertEquals("200", curl("-o", got.toString(), "-w", "%{http_code}", base + "/blob.bin"));
            assertEquals(sha256(blob), sha256(Files.readAllBytes(got)));
            assertEquals("206", curl("-r", "100-100099", "-o", got.toString(), "-w", "%{http_code}", base + "/blob.bin"));
            assertEquals(sha256(Arrays.copyOfRange(blob, 100, 100_100)), sha256(Files.readAllBytes(got)));
            // Two URLs, one connection (keep-alive): curl reports the connections it opened.
            assertEquals("200 1;200 0;", curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects};",
                    base + "/index.html", base + "/blob.bin"));
            assertEquals("416", curl("-r", "9999999-", "-o", "/dev/null", "-w", "%{http_code}", base + "/blob.bin"));
        }
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/curl", "-s", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "curl failed: " + out);
        return out;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
