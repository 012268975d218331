package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A local attacker swaps names inside the served root while clients ask for a file through
 * them; fileserve and httpd on every backend. The swaps are atomic renameat2(RENAME_EXCHANGE)
 * from a separate process ({@link SwapHelper}), so every name exists at every instant and only
 * a check-then-open server can be fooled:
 * <ul>
 * <li>a directory on the path is exchanged with a symlink to a directory outside the root that
 *     holds a same-sized secret file: no response may ever carry the secret;
 * <li>the file asked for is exchanged with a FIFO: open(2) of a FIFO blocks until a writer
 *     comes, so the server must never block (another client is answered all along).
 * </ul>
 */
@Timeout(120)
class PathSwapAttackTest {
    static final int SIZE = 64;
    static final byte[] INSIDE = padded("inside the root"), SECRET = padded("SECRET: outside the root");
    static final long SWAP_MILLIS = 2500, FIFO_SWAP_MILLIS = 1500;

    @TempDir
    Path dir;

    static List<String> backends() {
        return EventLoop.backends();
    }

    static byte[] padded(String s) {
        byte[] b = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), SIZE);
        Arrays.fill(b, s.length(), SIZE, (byte) '.');
        return b;
    }

    /** What one response was. */
    enum Outcome { INSIDE, SECRET, REFUSED }

    /** One client connection asking for a path; every wait bounded. */
    interface Probe extends AutoCloseable {
        Outcome get(String path) throws IOException;

        @Override
        void close() throws IOException;
    }

    static Outcome classify(byte[] body) {
        if (Arrays.equals(body, INSIDE)) return Outcome.INSIDE;
        if (Arrays.equals(body, SECRET)) return Outcome.SECRET;
        throw new AssertionError("served neither file: " + new String(body, StandardCharsets.ISO_8859_1));
    }

    static final class FileServeProbe implements Probe {
        final TimedFileClient c;

        FileServeProbe(int port, int timeoutMillis) throws IOException {
            c = new TimedFileClient(port, timeoutMillis);
        }

        @Override
        public Outcome get(String path) throws IOException {
            TimedFileClient.Reply r = c.read(path, 0, SIZE);
            return r.status() == FileProtocol.OK ? classify(r.body()) : Outcome.REFUSED;
        }

        @Override
        public void close() throws IOException {
            c.close();
        }
    }

    static final class HttpProbe implements Probe {
        final Socket s;
        final OutputStream out;

        HttpProbe(int port, int timeoutMillis) throws IOException {
            s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setSoTimeout(timeoutMillis);
            out = s.getOutputStream();
        }

        @Override
        public Outcome get(String path) throws IOException {
            out.write(("GET /" + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            HttpdTest.Response r;
            try {
                r = HttpdTest.read(s.getInputStream(), false);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
            return r.status() == 200 ? classify(r.body()) : Outcome.REFUSED;
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    /** A server under attack, in this JVM, one loop; opens probes to it. */
    interface Target extends AutoCloseable {
        Probe probe(int timeoutMillis) throws IOException;
    }

    static Target fileserve(String backend, Path root) throws Exception {
        FileServe s = new FileServe();
        ServerFixtures.loopback(s.net, backend, 1);
        s.root = root;
        s.start();
        return new Target() {
            public Probe probe(int t) throws IOException {
                return new FileServeProbe(s.port(), t);
            }

            public void close() {
                s.close();
            }
        };
    }

    static Target httpd(String backend, Path root) throws Exception {
        Httpd h = new Httpd();
        ServerFixtures.loopback(h.net, backend, 1);
        h.root = root;
        h.start();
        return new Target() {
            public Probe probe(int t) throws IOException {
                return new HttpProbe(h.port(), t);
            }

            public void close() {
                h.close();
            }
        };
    }

    interface TargetFactory {
        Target start(String backend, Path root) throws Exception;
    }

    // ------------------------------------------------------------------ symlink swap

    /** root/d/f.txt (inside), root/link -> dir/outside (absolute), dir/outside/f.txt (the secret, same size). */
    Path symlinkTree() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("d"));
        Files.write(root.resolve("d/f.txt"), INSIDE);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.write(outside.resolve("f.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("link"), outside);
        return root;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fileserveNeverServesTheOutsideFileWhileADirectoryIsSwappedForASymlink(String backend) throws Exception {
        neverServesTheSecret(backend, PathSwapAttackTest::fileserve);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void httpdNeverServesTheOutsideFileWhileADirectoryIsSwappedForASymlink(String backend) throws Exception {
        neverServesTheSecret(backend, PathSwapAttackTest::httpd);
    }

    private void neverServesTheSecret(String backend, TargetFactory factory) throws Exception {
        SwapHelper.binary();
        Path root = symlinkTree();
        long[] seen = new long[Outcome.values().length];
        long swaps;
        try (Target t = factory.start(backend, root); Probe p = t.probe(5000)) {
            assertEquals(Outcome.INSIDE, p.get("d/f.txt"), "before the attack");
            assertEquals(Outcome.REFUSED, p.get("link/f.txt"), "the symlink out, asked for directly");
            Process swap = SwapHelper.start(root.resolve("d"), root.resolve("link"), SWAP_MILLIS);
            while (swap.isAlive()) seen[p.get("d/f.txt").ordinal()]++;
            swaps = SwapHelper.finish(swap);
        }
        String tally = swaps + " swaps; responses: " + seen[0] + " inside, " + seen[1] + " SECRET, " + seen[2] + " refused";
        System.out.println(backend + ": " + tally);
        assertEquals(0, seen[Outcome.SECRET.ordinal()], "served the file outside the root: " + tally);
        assertTrue(seen[Outcome.INSIDE.ordinal()] > 0, "never served the file inside: " + tally);
        assertTrue(seen[Outcome.REFUSED.ordinal()] > 0, "never saw the swap (the attack did not race): " + tally);
    }

    // ------------------------------------------------------------------ FIFO swap

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fileserveNeverBlocksWhileTheFileIsSwappedForAFifo(String backend) throws Exception {
        neverBlocksOnAFifo(backend, PathSwapAttackTest::fileserve);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void httpdNeverBlocksWhileTheFileIsSwappedForAFifo(String backend) throws Exception {
        neverBlocksOnAFifo(backend, PathSwapAttackTest::httpd);
    }

    /**
     * An attacker connection asks for p/f.txt while it is swapped with a FIFO; a bystander
     * connection asks for another file all along, each reply within 2 s.
     */
    private void neverBlocksOnAFifo(String backend, TargetFactory factory) throws Exception {
        SwapHelper.binary();
        Path root = Files.createDirectories(dir.resolve("root"));
        Path p = Files.createDirectories(root.resolve("p"));
        Files.write(p.resolve("f.txt"), INSIDE);
        Files.write(root.resolve("other.txt"), INSIDE);
        Process mkfifo = new ProcessBuilder("mkfifo", p.resolve("fifo").toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        long[] seen = new long[Outcome.values().length];
        long answered = 0, swaps;
        AtomicReference<Throwable> attackFailed = new AtomicReference<>();
        try (Target t = factory.start(backend, root); Probe attacker = t.probe(3000); Probe bystander = t.probe(2000)) {
            assertEquals(Outcome.REFUSED, attacker.get("p/fifo"), "a FIFO, asked for directly");
            Process swap = SwapHelper.start(p.resolve("f.txt"), p.resolve("fifo"), FIFO_SWAP_MILLIS);
            Thread attack = Thread.ofPlatform().name("fifo-attacker").start(() -> {
                try {
                    while (swap.isAlive()) seen[attacker.get("p/f.txt").ordinal()]++;
                } catch (Throwable e) {
                    attackFailed.set(e);
                }
            });
            try {
                while (swap.isAlive()) {
                    try {
                        assertEquals(Outcome.INSIDE, bystander.get("other.txt"));
                    } catch (SocketTimeoutException e) {
                        fail("the server stopped answering (a loop blocked in open() of the FIFO?) after " + answered + " replies");
                    }
                    answered++;
                    Thread.sleep(5);
                }
                attack.join(10_000);
                swaps = SwapHelper.finish(swap);
            } finally {
                swap.destroyForcibly();
                swap.waitFor(10, TimeUnit.SECONDS);
                unblockFifoOpeners(p.resolve("fifo"), p.resolve("f.txt"));
                attack.join(10_000);
            }
        }
        String tally = swaps + " swaps; attacker: " + seen[0] + " inside, " + seen[2] + " refused; bystander answered " + answered;
        System.out.println(backend + ": " + tally);
        if (attackFailed.get() != null) throw new AssertionError("the attacker's requests failed: " + tally, attackFailed.get());
        assertTrue(seen[Outcome.INSIDE.ordinal()] > 0 && seen[Outcome.REFUSED.ordinal()] > 0, "the attack did not race: " + tally);
        assertTrue(answered > 0, tally);
    }

    /**
     * A server that failed the test may have a thread stuck in open() of the FIFO: opening it
     * read-write here (which never blocks on Linux) gives that open its writer, so it returns
     * and the server can be closed.
     */
    private static void unblockFifoOpeners(Path... names) {
        for (Path n : names) {
            try (RandomAccessFile f = new RandomAccessFile(n.toFile(), "rw")) {
                f.getFD(); // opened: any blocked reader has its writer
            } catch (IOException ignored) {
                // gone or not openable: nothing to unblock there
            }
        }
    }
}
