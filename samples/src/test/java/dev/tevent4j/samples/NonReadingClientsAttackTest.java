package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * fileserve --mode threadpool (the default) with clients that ask for a large file and never
 * read: they must cost their buffers, not the workers. With blocking sends, each such client
 * held a worker in send() for as long as it liked, and two stopped every reply.
 */
@Timeout(120)
class NonReadingClientsAttackTest {
    /** More than the worker pool (max(2, CPUs) threads). */
    static final int STALLED = Math.max(4, Runtime.getRuntime().availableProcessors() + 2);
    /** Far more than a loopback connection buffers (a few MiB of send and receive buffer). */
    static final int BIG = 24 << 20;

    @TempDir
    static Path dir;
    static Path root;
    static byte[] big, small;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        big = ServerFixtures.randomFile(root.resolve("big.bin"), BIG, 11);
        small = ServerFixtures.randomFile(root.resolve("small.bin"), 5000, 12);
    }

    static List<String> backends() {
        return EventLoop.backends();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void clientsThatDoNotReadHoldNoWorkerAndGetTheirBytesWhenTheyDo(String backend) throws Exception {
        FileServe s = new FileServe();
        ServerFixtures.loopback(s.net, backend, 1);
        s.mode = FileServe.Mode.threadpool;
        s.root = root;
        s.start();
        List<TimedFileClient> stalled = new ArrayList<>();
        try (s) {
            for (int i = 0; i < STALLED; i++) {
                TimedFileClient c = new TimedFileClient(s.port(), 10_000);
                stalled.add(c);
                c.sendRead("big.bin", 0, BIG); // and read nothing, for now
            }
            Thread.sleep(500); // every stalled reply has filled its socket by now

            // Normal clients, each bounded: a fresh connection for a small file, then 2 MiB of the big one.
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                try (TimedFileClient c = new TimedFileClient(s.port(), 5_000)) {
                    TimedFileClient.Reply r = c.read("small.bin", 0, small.length);
                    assertEquals(FileProtocol.OK, r.status());
                    assertArrayEquals(small, r.body());
                    r = c.read("big.bin", 1_000_000, 2 << 20);
                    assertEquals(FileProtocol.OK, r.status());
                    assertArrayEquals(Arrays.copyOfRange(big, 1_000_000, 1_000_000 + (2 << 20)), r.body());
                } catch (SocketTimeoutException e) {
                    fail(STALLED + " clients that do not read stopped fileserve from answering another (workers blocked in send?)");
                }
            }
            long normalMillis = (System.nanoTime() - t0) / 1_000_000;

            // The stalled clients read at last: each gets its whole reply, byte for byte.
            for (TimedFileClient c : stalled) {
                TimedFileClient.Reply r = c.reply();
                assertEquals(FileProtocol.OK, r.status());
                assertTrue(Arrays.equals(big, r.body()), "a resumed reply differs from the file");
            }
            System.out.println(backend + ": " + STALLED + " stalled clients; 3 normal clients answered in " + normalMillis + " ms");
        } finally {
            for (TimedFileClient c : stalled) c.close();
        }
    }
}
