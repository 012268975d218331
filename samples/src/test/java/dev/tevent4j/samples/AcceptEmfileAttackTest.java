package dev.tevent4j.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fileserve in a child process with 64 fds (RLIMIT_NOFILE, soft and hard) and more clients
 * than that: accept4 fails with EMFILE while the listener stays readable. The server must back
 * off instead of retrying every loop iteration: CPU stays low and stderr small (it wrote 19
 * million "accept4: EMFILE" lines, 440 MB, in 30 s at 141 % CPU), the connections it has keep
 * being served, and once the extra clients leave it accepts and answers again.
 */
@Timeout(120)
class AcceptEmfileAttackTest {
    static final int FD_LIMIT = 64, CLIENTS = 120;
    static final long WINDOW_MILLIS = 3000;
    /** Clock ticks (1/100 s) the server may burn over the window: 10 % of one CPU. Spinning on accept4 burns ~100 %. */
    static final long MAX_TICKS = WINDOW_MILLIS / 10 / 10;
    /** Rate-limited: a line a second or so, ~100 bytes each. Unlimited: megabytes per second. */
    static final long MAX_STDERR_BYTES = 4096;

    @TempDir
    Path dir;

    @Test
    void outOfFdsTheServerBacksOffLogsLittleAndRecovers() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        byte[] data = ServerFixtures.randomFile(root.resolve("f.bin"), 10_000, 5);
        List<Socket> flood = new ArrayList<>();
        try (ChildServer s = new ChildServer(dir.resolve("server"), FD_LIMIT, List.of("-Xmx64m"),
                "fileserve", "--root", root.toString(), "--port", "0", "--threads", "1");
             TimedFileClient first = new TimedFileClient(s.port(), 5000)) {
            assertEquals(FileProtocol.OK, first.read("f.bin", 0, data.length).status());
            // Run STATS once before the fds run out: the JVM loads a class or library on a code
            // path's first use and needs an fd for it, so code first run at the limit fails
            // (NoClassDefFoundError) in any Java server. What is tested is the accept back-off.
            assertEquals(FileProtocol.OK, first.stats().status());
            int fds0 = s.fdCount();
            for (int i = 0; i < CLIENTS; i++) {
                try {
                    flood.add(new Socket(InetAddress.getLoopbackAddress(), s.port())); // the backlog holds what is not accepted
                } catch (java.io.IOException e) {
                    throw new AssertionError("connection " + i + " refused; server alive " + s.isAlive() + "; stderr: " + s.stderrHead(4000), e);
                }
            }
            Thread.sleep(500);
            assertTrue(s.fdCount() >= FD_LIMIT - 1, "the server should be out of fds: " + s.fdCount() + " open, limit " + FD_LIMIT);

            long ticks0 = s.cpuTicks();
            Thread.sleep(WINDOW_MILLIS);
            long ticks = s.cpuTicks() - ticks0;
            // A connection accepted before the flood is still served (STATS needs no new fd).
            try {
                assertEquals(FileProtocol.OK, first.stats().status());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server stopped serving its connections while out of fds; its stderr:\n" + s.stderrHead(6000), e);
            }
            long stderr = s.stderrBytes();
            String head = s.stderrHead(600);
            System.out.printf("EMFILE: %d ticks of CPU in %d ms; stderr %d bytes:%n%s%n", ticks, WINDOW_MILLIS, stderr, head);
            assertTrue(ticks <= MAX_TICKS, "server CPU " + ticks + " ticks (1/100 s) in " + WINDOW_MILLIS + " ms: it spins on accept4");
            assertTrue(stderr <= MAX_STDERR_BYTES, "stderr " + stderr + " bytes: the accept4 error is not rate-limited:\n" + head);
            assertTrue(head.contains("EMFILE"), "the error is reported: " + head);

            for (Socket c : flood) c.close();
            flood.clear();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            TimedFileClient.Reply r = null;
            while (r == null) {
                try (TimedFileClient c = new TimedFileClient(s.port(), 3000)) {
                    r = c.read("f.bin", 0, data.length);
                } catch (SocketTimeoutException e) {
                    assertTrue(System.nanoTime() < deadline, "the server did not answer a new client within 10 s of the flood leaving");
                }
            }
            assertEquals(FileProtocol.OK, r.status());
            assertArrayEquals(data, r.body());
            int fds = s.fdCount();
            while (fds > fds0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                fds = s.fdCount();
            }
            assertTrue(fds <= fds0, "server fds did not come back: " + fds0 + " -> " + fds);
            assertTrue(s.isAlive());
        } finally {
            for (Socket c : flood) c.close();
        }
    }
}
