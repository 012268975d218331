package dev.tevent4j.samples;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Thousands of short connections, each reading a little of a file, against a server in a child
 * JVM with a small, fixed, pre-touched heap: its RSS must stay under a ceiling and its fds must
 * come back to where they were. Per-connection native memory from {@code Arena.ofAuto()} was
 * freed only by a GC that a small heap with little garbage does not run: fileserve took 1 MiB
 * (its chunk buffer) per connection, 6,000 connections took 6 GB.
 *
 * <p>The ceiling: the heap is fixed and touched at start (-Xms = -Xmx, AlwaysPreTouch), so
 * the growth over the warmed-up baseline is native: per loop the pools keep at most 4 chunk
 * buffers (4 MiB) and 256 connection buffers (9 or 12 KiB each: 2.3 or 3 MiB); JIT code,
 * metaspace and malloc arenas add a few MiB (6 to 8 MiB measured in all). {@link #CEILING_KIB}
 * (48 MiB) is well above that and below what the leak takes over the run: fileserve 3,000 x
 * 1 MiB; httpd, whose connections held 12 KiB, 8,000 x 12 KiB = 94 MiB. The heap is not small
 * on purpose: httpd makes an 8 KiB array of garbage per connection, and a young GC (which
 * frees auto arenas) every few thousand connections would hide its leak. The client stops as
 * soon as the ceiling is passed, so a leaking server fails fast and never grows to gigabytes on
 * a shared machine.
 */
@Timeout(180)
class ConnectionChurnAttackTest {
    static final int WARMUP = 300;
    static final long CEILING_KIB = 48 * 1024;
    static final List<String> JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    @TempDir
    Path dir;

    @Test
    void fileserveThreadpoolFreesEachConnectionsMemory() throws Exception {
        churn(3000, "fileserve", "--mode", "threadpool");
    }

    @Test
    void fileserveUringFreesEachConnectionsMemory() throws Exception {
        // the two-buffer mode; needs an io_uring AsyncIo: hybrid is the default where io_uring works
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.tevent4j.EventLoop.backends().contains("hybrid"),
                "io_uring is not usable here: --mode uring cannot run");
        churn(3000, "fileserve", "--mode", "uring", "--backend", "hybrid");
    }

    @Test
    void httpdFreesEachConnectionsMemory() throws Exception {
        churn(8000, "httpd");
    }

    private void churn(int connections, String command, String... extra) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        byte[] data = ServerFixtures.randomFile(root.resolve("f.bin"), 4096, 3);
        List<String> args = new ArrayList<>(List.of(command, "--root", root.toString(), "--port", "0", "--threads", "1"));
        args.addAll(List.of(extra));
        try (ChildServer s = new ChildServer(dir.resolve("server"), 0, JVM, args.toArray(String[]::new))) {
            for (int i = 0; i < WARMUP; i++) exchange(command, s.port(), data);
            Thread.sleep(300);
            int fds0 = s.fdCount();
            long rss0 = s.rssKiB(), peak = rss0;
            long t0 = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                exchange(command, s.port(), data);
                if (i % 100 == 99) {
                    peak = Math.max(peak, s.rssKiB());
                    if (peak - rss0 > CEILING_KIB) {
                        fail(command + ": RSS grew " + (peak - rss0) / 1024 + " MiB in " + (i + 1) + " connections (from "
                                + rss0 / 1024 + " MiB): per-connection native memory is not freed");
                    }
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int fds = s.fdCount();
            while (fds > fds0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                fds = s.fdCount();
            }
            System.out.printf("%s %s: %d connections in %d ms; RSS %d -> peak %d MiB (+%d KiB); fds %d -> %d%n", command,
                    String.join(" ", extra), connections, millis, rss0 / 1024, peak / 1024, peak - rss0, fds0, fds);
            assertTrue(peak - rss0 <= CEILING_KIB, "RSS grew " + (peak - rss0) + " KiB");
            assertTrue(fds <= fds0, "fds did not come back: " + fds0 + " -> " + fds);
            assertTrue(s.isAlive(), "server died: " + s.stderrHead(2000));
        }
    }

    /** One short connection: a READ (or GET) of the whole file, checked, then close. */
    private static void exchange(String command, int port, byte[] data) throws Exception {
        if (command.equals("httpd")) {
            try (java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                sock.setSoTimeout(5000);
                HttpdTest.Response r = HttpdTest.exchange(sock, "GET /f.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, r.status());
                assertArrayEquals(data, r.body());
            }
            return;
        }
        try (TimedFileClient c = new TimedFileClient(port, 5000)) {
            TimedFileClient.Reply r = c.read("f.bin", 0, data.length);
            assertEquals(FileProtocol.OK, r.status());
            assertArrayEquals(data, r.body());
        }
    }
}
