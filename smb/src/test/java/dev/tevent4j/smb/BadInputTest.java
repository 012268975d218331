package dev.tevent4j.smb;

import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.DiskShare;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frames no real client sends, over raw sockets: each gets a STATUS_* error or a dropped
 * connection, and a real client is served normally right after (checked in {@link #stillServes}).
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static SmbServer server;
    static int port;
    static byte[] secret = "outside the share".getBytes();

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("share"));
        Files.write(dir.resolve("secret.txt"), secret);
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("big.bin"), SmbFixture.randomBytes(8 << 20, 5));
        Files.createSymbolicLink(root.resolve("out-link"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), dir);
        Files.createSymbolicLink(root.resolve("in-link"), Path.of("inside.txt"));
        server = new SmbServer(new SmbOptions(root, "data").port(0).mode(ReadMode.threadpool).sendTimeout(Duration.ofSeconds(1))
                .frameTimeout(Duration.ofSeconds(1)));
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A real client still lists and reads. */
    static void stillServes() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", port);
             DiskShare share = (DiskShare) conn.authenticate(AuthenticationContext.anonymous()).connectShare("data")) {
            assertEquals("inside", new String(SmbjTest.readAll(share, "inside.txt")));
        }
    }

    @Test
    void framesThatAreNotSmb2DropTheConnection() throws Exception {
        byte[][] bad = {
                {(byte) 0xff, 'S', 'M', 'B', 0x72, 0, 0, 0},                        // SMB1
                "GET / HTTP/1.1\r\n\r\n".getBytes(),                               // not even NetBIOS
                {0, (byte) 0xff, (byte) 0xff, (byte) 0xff},                           // 16 MiB frame announced
                {(byte) 0x81, 0, 0, 0},                                              // NetBIOS session request: no NetBIOS names here
        };
        for (byte[] b : bad) {
            try (RawClient c = new RawClient(port)) {
                if (b[0] == (byte) 0xff) c.sendFrame(RawClient.concat(b, new byte[60]));
                else c.sendRaw(b);
                assertTrue(c.closedByServer(), "dropped");
            }
        }
        stillServes();
    }

    @Test
    void aFrameThatNeverCompletesIsDroppedAfterTheFrameTimeout() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {0, 0, 1, 0, (byte) 0xfe, 'S', 'M', 'B'}); // 256 bytes announced, 4 sent, then nothing
            long t0 = System.nanoTime();
            assertTrue(c.closedByServer());
            assertTrue(System.nanoTime() - t0 < 8_000_000_000L, "closed by the 1 s frame timeout");
        }
        stillServes();
    }

    @Test
    void beforeASessionNoFrameMayBeLarge() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {0, 0x02, 0, 0}); // 128 KiB announced on a connection with no session
            assertTrue(c.closedByServer());
        }
        stillServes();
    }

    static byte[] validateNegotiate(int capabilities, byte[] guid, int securityMode, int... dialects) {
        ByteBuffer in = ByteBuffer.allocate(24 + 2 * dialects.length).order(ByteOrder.LITTLE_ENDIAN);
        in.putInt(capabilities).put(guid).putShort((short) securityMode).putShort((short) dialects.length);
        for (int d : dialects) in.putShort((short) d);
        ByteBuffer b = ByteBuffer.allocate(56 + in.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 57).putShort((short) 0).putInt(0x00140204).putLong(-1).putLong(-1).putInt(120).putInt(in.capacity())
                .putInt(0).putInt(0).putInt(0).putInt(24).putInt(1).putInt(0).put(in.array());
        return b.array();
    }

    @Test
    void validateNegotiateAnswersWhatWasNegotiatedAndDropsATamperedOne() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) { // login() negotiates 2.0.2 and 2.1, security mode 1, no capabilities, zero GUID
            RawClient.Response r = c.call(11, validateNegotiate(0, new byte[16], 1, 0x0202, 0x0210));
            assertEquals(0, r.status());
            assertEquals(24, r.body().getInt(36), "OutputCount");
            assertEquals(0x0210, r.body().getShort(48 + 22), "the dialect chosen");
        }
        try (RawClient c = new RawClient(port).login("data")) {
            c.sendFrame(RawClient.message(11, c.nextMessageId++, 1, c.sessionId, c.treeId, validateNegotiate(0, new byte[16], 1, 0x0202)));
            assertTrue(c.closedByServer(), "a dialect list that differs from the NEGOTIATE's drops the connection");
        }
        stillServes();
    }

    @Test
    void netbiosKeepalivesAreIgnored() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {(byte) 0x85, 0, 0, 0, (byte) 0x85, 0, 0, 0});
            assertEquals(0, c.call(0, RawClient.negotiateBody(0x0210)).status());
        }
    }

    @Test
    void aTruncatedFrameAndAHalfHeaderLeaveNothingBehind() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {0, 0, 1, 0, (byte) 0xfe, 'S'}); // announces 256 bytes, sends 2, goes away
        }
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {0, 0}); // half a length
        }
        stillServes();
    }

    @Test
    void wrongStructureSizesAreInvalidParameter() throws Exception {
        try (RawClient c = new RawClient(port)) {
            byte[] body = RawClient.negotiateBody(0x0210);
            body[0] = 35;
            assertEquals(Status.INVALID_PARAMETER, c.call(0, body).status());
        }
        try (RawClient c = new RawClient(port).login("data")) {
            assertEquals(Status.INVALID_PARAMETER, c.call(5, new byte[10]).status());        // CREATE cut short
            assertEquals(Status.INVALID_PARAMETER, c.call(8, new byte[] {49, 0}).status());  // READ cut short
            byte[] create = RawClient.createBody("inside.txt", 0x00120089, 1, 0);
            ByteBuffer.wrap(create).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) 30000); // name past the end
            assertEquals(Status.INVALID_PARAMETER, c.call(5, create).status());
            assertEquals(Status.NOT_SUPPORTED, c.call(0x77, new byte[8]).status());          // unknown command
            assertEquals(Status.NOT_SUPPORTED, c.call(10, new byte[48]).status());           // LOCK: not offered
            long[] id = new long[1];
            assertEquals(0, c.open("inside.txt", id));
            assertEquals(Status.FILE_CLOSED, c.call(8, RawClient.readBody(id[0] + 99, 10, 0)).status());
        }
        stillServes();
    }

    @Test
    void pathsThatLeaveTheShareAreRefused() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) {
            long[] id = new long[1];
            assertEquals(Status.ACCESS_DENIED, c.open("..\\secret.txt", id));
            assertEquals(Status.ACCESS_DENIED, c.open("sub\\..\\..\\secret.txt", id));
            assertEquals(Status.OBJECT_NAME_INVALID, c.open("\\etc\\passwd", id));
            assertEquals(Status.ACCESS_DENIED, c.open("out-link", id));
            assertEquals(Status.ACCESS_DENIED, c.open("out-dir\\secret.txt", id));
            assertEquals(Status.OBJECT_NAME_INVALID, c.open("inside.txt:stream", id));
            assertEquals(Status.OBJECT_NAME_INVALID, c.open("a\\\\b", id));
            assertEquals(0, c.open("in-link", id)); // a symlink that stays inside is followed
            RawClient.Response r = c.call(8, RawClient.readBody(id[0], 100, 0));
            assertEquals(0, r.status());
            byte[] got = new byte[r.body().getInt(4)];
            r.body().position(16).get(got);
            assertArrayEquals("inside".getBytes(), got);
        }
        stillServes();
    }

    @Test
    void creditAbuseDropsTheConnection() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) {
            c.sendFrame(RawClient.message(13, 1, 1, 0, 0, new byte[] {4, 0, 0, 0})); // message id 1 again
            assertTrue(c.closedByServer());
        }
        try (RawClient c = new RawClient(port).login("data")) {
            c.sendFrame(RawClient.message(13, 1_000_000, 1, 0, 0, new byte[] {4, 0, 0, 0})); // never granted
            assertTrue(c.closedByServer());
        }
        try (RawClient c = new RawClient(port).login("data")) {
            long[] id = new long[1];
            assertEquals(0, c.open("big.bin", id));
            // 1 MiB with CreditCharge 1 (64 KiB): refused, as the spec says
            c.sendFrame(RawClient.message(8, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.readBody(id[0], 1 << 20, 0)));
            assertEquals(Status.INVALID_PARAMETER, c.read().status());
            // beyond MaxReadSize
            c.sendFrame(RawClient.message(8, c.nextMessageId, 129, c.sessionId, c.treeId, RawClient.readBody(id[0], (8 << 20) + 65536, 0)));
            c.nextMessageId += 129;
            RawClient.Response r = c.read();
            assertTrue(r.status() == Status.INVALID_PARAMETER, Integer.toHexString(r.status()));
        }
        stillServes();
    }

    @Test
    void aCompoundWithARelatedOpenReadClose() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) {
            byte[] create = RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("inside.txt", 0x00120089, 1, 0));
            byte[] read = RawClient.message(8, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.readBody(-1, 100, 0));
            ByteBuffer.wrap(read).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x4); // related
            byte[] closeBody = new byte[24];
            closeBody[0] = 24;
            ByteBuffer.wrap(closeBody).order(ByteOrder.LITTLE_ENDIAN).putLong(8, -1).putLong(16, -1);
            byte[] close = RawClient.message(6, c.nextMessageId++, 1, c.sessionId, c.treeId, closeBody);
            ByteBuffer.wrap(close).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x4);
            byte[] createPadded = java.util.Arrays.copyOf(create, (create.length + 7) & ~7);
            ByteBuffer.wrap(createPadded).order(ByteOrder.LITTLE_ENDIAN).putInt(20, createPadded.length);
            byte[] readPadded = java.util.Arrays.copyOf(read, (read.length + 7) & ~7);
            ByteBuffer.wrap(readPadded).order(ByteOrder.LITTLE_ENDIAN).putInt(20, readPadded.length);
            c.sendFrame(RawClient.concat(createPadded, readPadded, close));
            List<RawClient.Response> all = c.readCompound();
            assertEquals(3, all.size(), "one frame, three responses");
            assertEquals(List.of(5, 8, 6), all.stream().map(RawClient.Response::command).toList());
            assertEquals(List.of(0, 0, 0), all.stream().map(RawClient.Response::status).toList());
            RawClient.Response readResponse = all.get(1);
            byte[] got = new byte[readResponse.body().getInt(4)];
            readResponse.body().position(16).get(got);
            assertArrayEquals("inside".getBytes(), got);
            // a related chain after a failed CREATE fails with the CREATE's status
            byte[] bad = RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("missing.txt", 0x00120089, 1, 0));
            byte[] badPadded = java.util.Arrays.copyOf(bad, (bad.length + 7) & ~7);
            ByteBuffer.wrap(badPadded).order(ByteOrder.LITTLE_ENDIAN).putInt(20, badPadded.length);
            byte[] read2 = RawClient.message(8, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.readBody(-1, 100, 0));
            ByteBuffer.wrap(read2).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x4);
            c.sendFrame(RawClient.concat(badPadded, read2));
            List<RawClient.Response> failed = c.readCompound();
            assertEquals(List.of(Status.OBJECT_NAME_NOT_FOUND, Status.OBJECT_NAME_NOT_FOUND), failed.stream().map(RawClient.Response::status).toList());
        }
        stillServes();
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndStallsNobody() throws Exception {
        List<RawClient> stalled = new ArrayList<>();
        try {
            for (int k = 0; k < 3; k++) {
                RawClient c = new RawClient(port, 4096).login("data");
                long[] id = new long[1];
                assertEquals(0, c.open("big.bin", id));
                for (int i = 0; i < 8; i++) { // 8 x 1 MiB asked for, none read
                    c.sendFrame(RawClient.message(8, c.nextMessageId, 16, c.sessionId, c.treeId, RawClient.readBody(id[0], 1 << 20, (long) i << 20)));
                    c.nextMessageId += 16;
                }
                stalled.add(c);
            }
            stillServes(); // while they stall
            Thread.sleep(2500); // past the 1 s send timeout
            for (RawClient c : stalled) assertTrue(c.closedByServer(), "a client that stopped reading is disconnected");
        } finally {
            for (RawClient c : stalled) c.close();
        }
        stillServes();
    }
}
