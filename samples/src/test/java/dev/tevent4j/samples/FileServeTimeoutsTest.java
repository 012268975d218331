package dev.tevent4j.samples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tevent4j.samples.FileProtocol.OK;
import static dev.tevent4j.samples.FileProtocol.OP_READ;
import static dev.tevent4j.samples.FileProtocol.OP_STATS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fileserve's --idle-timeout, --frame-timeout and --send-timeout on every usable backend (threadpool mode). */
@Timeout(60)
class FileServeTimeoutsTest {
    @TempDir
    static Path dir;
    static Path root;
    static final int BIG = 16 << 20;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        ServerFixtures.randomFile(root.resolve("big.bin"), BIG, 5);
    }

    static FileServe server(String backend, String idle, String frame, String send) throws Exception {
        FileServe s = new FileServe();
        ServerFixtures.loopback(s.net, backend, 1);
        s.root = root;
        s.net.idleTimeout = ServerOptions.Timeout.parse(idle);
        s.frameTimeout = ServerOptions.Timeout.parse(frame);
        s.sendTimeout = ServerOptions.Timeout.parse(send);
        s.start();
        return s;
    }

    static void stats(Socket s) throws Exception {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(1);
        out.writeByte(OP_STATS);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertEquals(OK, in.readUnsignedByte());
        assertEquals(16, in.readLong());
        in.readLong();
        in.readLong();
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void silentConnectionIsClosedAtTheIdleTimeoutAndAStartedFrameAtTheFrameDeadline(String backend) throws Exception {
        try (FileServe fs = server(backend, "1s", "1s", "30s");
             Socket silent = Peers.connect(fs.port(), 6000);
             Socket trickler = Peers.connect(fs.port(), 6000)) {
            long t0 = System.nanoTime();
            stats(trickler); // a request first: the frame deadline counts from the next frame's first byte
            AtomicInteger sent = new AtomicInteger();
            // A READ frame announced as 40 bytes, arriving one byte every 300 ms: never complete in time.
            byte[] frame = new byte[44];
            frame[3] = 40;
            frame[4] = OP_READ;
            long tStart = System.nanoTime();
            Thread t = Peers.trickle(trickler, frame, 300, sent);

            Peers.Ending e = Peers.readUntilClosed(silent);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.closed(), "silent connection still open after " + ms + " ms");
            assertEquals(0, e.bytes().length);
            assertTrue(ms >= 900 && ms < 4000, "closed after " + ms + " ms");

            e = Peers.readUntilClosed(trickler);
            long tm = (System.nanoTime() - tStart) / 1_000_000;
            assertTrue(e.closed(), "trickler still open after " + tm + " ms");
            assertTrue(tm >= 900 && tm < 4000, "frame deadline after " + tm + " ms");
            assertTrue(sent.get() >= 3, "the trickler kept sending: " + sent.get());
            t.join(5000);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void busyClientIsNotDisconnected(String backend) throws Exception {
        try (FileServe fs = server(backend, "1s", "1s", "1s"); Socket s = Peers.connect(fs.port(), 6000)) {
            for (int i = 0; i < 12; i++) { // 3 s of requests, each gap inside the timeouts
                stats(s);
                Thread.sleep(250);
            }
            stats(s);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void clientThatStopsReadingIsDroppedAtTheSendTimeout(String backend) throws Exception {
        // Idle and frame timeouts off: only the send timeout can end this connection. In threadpool
        // mode the reply blocks a worker thread in send(): the timeout frees it.
        try (FileServe fs = server(backend, "0", "0", "1s"); Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fs.port()));
            s.setSoTimeout(5000);
            byte[] path = "big.bin".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(19 + path.length);
            out.writeByte(OP_READ);
            out.writeLong(0);
            out.writeLong(BIG);
            out.writeShort(path.length);
            out.write(path);
            out.flush();
            assertEquals(OK, s.getInputStream().read()); // the reply started
            long t0 = System.nanoTime();
            long open = TestFds.count();
            long after = Peers.awaitFdsAtMost(open - 1, 5000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(after <= open - 1, "the server still holds the stalled connection after " + ms + " ms");
            assertTrue(ms >= 900, "dropped after only " + ms + " ms");
            Peers.Ending e = Peers.readUntilClosed(s);
            assertTrue(e.closed(), "not closed");
            assertTrue(e.bytes().length < BIG, "the whole range arrived");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.tevent4j.samples.HttpdTest#backends")
    void twoHundredSilentConnectionsAreAllClosedAndTheFdsReturn(String backend) throws Exception {
        try (FileServe fs = server(backend, "1s", "1s", "1s")) {
            long fds = TestFds.count();
            List<Socket> silent = Peers.silent(fs.port(), 200, 6000);
            try {
                long n = Peers.awaitFdsAtMost(fds + 200, 6000);
                assertTrue(n <= fds + 200, "server still holds connections: " + fds + " + 200 -> " + n);
                for (Socket s : silent) assertTrue(Peers.readUntilClosed(s).closed());
            } finally {
                Peers.closeAll(silent);
            }
            try (Socket s = Peers.connect(fs.port(), 6000)) {
                stats(s);
            }
            long after = Peers.awaitFdsAtMost(fds, 3000);
            assertTrue(after <= fds, "fds leaked: " + fds + " -> " + after);
        }
    }
}
