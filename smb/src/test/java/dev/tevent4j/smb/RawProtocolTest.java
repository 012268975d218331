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

/** Protocol paths real clients seldom show, over raw sockets: compounds, validate-negotiate, ECHO, LOGOFF, keepalives. */
class RawProtocolTest extends RawServerFixture {
    static byte[] padded(byte[] message) {
        byte[] p = java.util.Arrays.copyOf(message, (message.length + 7) & ~7);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(20, p.length);
        return p;
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
    void anUnrelatedCompoundGetsEachItsOwnAnswer() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) {
            byte[] echo = RawClient.message(13, c.nextMessageId++, 1, c.sessionId, c.treeId, new byte[] {4, 0, 0, 0});
            byte[] missing = RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("missing", 0x00120089, 1, 0));
            byte[] inside = RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("inside.txt", 0x00120089, 1, 0));
            c.sendFrame(RawClient.concat(padded(echo), padded(missing), inside));
            List<RawClient.Response> all = c.readCompound();
            assertEquals(List.of(13, 5, 5), all.stream().map(RawClient.Response::command).toList());
            assertEquals(List.of(0, Status.OBJECT_NAME_NOT_FOUND, 0), all.stream().map(RawClient.Response::status).toList(),
                    "unrelated: a failure does not spread to the next");
        }
    }

    @Test
    void echoThenLogoffEndsTheSession() throws Exception {
        try (RawClient c = new RawClient(port).login("data")) {
            assertEquals(0, c.call(13, new byte[] {4, 0, 0, 0}).status());
            assertEquals(0, c.call(2, new byte[] {4, 0, 0, 0}).status());
            assertEquals(Status.USER_SESSION_DELETED, c.call(5, RawClient.createBody("inside.txt", 0x00120089, 1, 0)).status());
            assertEquals(0, c.call(13, new byte[] {4, 0, 0, 0}).status(), "ECHO needs no session");
        }
    }

    @Test
    void netbiosKeepalivesAreIgnored() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.sendRaw(new byte[] {(byte) 0x85, 0, 0, 0, (byte) 0x85, 0, 0, 0});
            assertEquals(0, c.call(0, RawClient.negotiateBody(0x0210)).status());
        }
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
}
