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
class BadInputTest extends RawServerFixture {
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
