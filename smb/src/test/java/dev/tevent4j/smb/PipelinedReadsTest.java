package dev.tevent4j.smb;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many READs sent at once, then a CLOSE behind them: each READ is answered with its own bytes
 * (in any order), and the CLOSE only after every READ (it must not close the fd under them).
 */
class PipelinedReadsTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource({"threadpool,epoll", "ring,hybrid", "splice,hybrid", "zc,hybrid"})
    void pipelinedReadsEachGetTheirBytesAndCloseComesLast(ReadMode mode, String backend) throws Exception {
        if (!backend.equals("epoll")) ReadModesTest.assumeUsable(backend);
        byte[] data = SmbFixture.randomBytes(12 << 20, 21);
        Files.write(root.resolve("f.bin"), data);
        try (SmbFixture fx = new SmbFixture(root, mode, backend, false, Users.none());
             RawClient c = new RawClient(fx.port).login("data")) {
            long[] id = new long[1];
            assertEquals(0, c.open("f.bin", id));
            int chunk = 1 << 20, n = 12;
            Map<Long, Integer> offsetOf = new HashMap<>();
            for (int i = 0; i < n; i++) { // 12 x 1 MiB: more than the 8 that run at once
                offsetOf.put(c.nextMessageId, i * chunk);
                c.sendFrame(RawClient.message(8, c.nextMessageId, 16, c.sessionId, c.treeId, RawClient.readBody(id[0], chunk, (long) i * chunk)));
                c.nextMessageId += 16;
            }
            offsetOf.put(c.nextMessageId, -1);
            c.sendFrame(RawClient.message(8, c.nextMessageId, 1, c.sessionId, c.treeId, RawClient.readBody(id[0], 100, data.length))); // at the end
            c.nextMessageId++;
            byte[] closeBody = new byte[24];
            closeBody[0] = 24;
            ByteBuffer.wrap(closeBody).order(ByteOrder.LITTLE_ENDIAN).putLong(8, id[0]).putLong(16, id[0]);
            long closeId = c.nextMessageId;
            c.sendFrame(RawClient.message(6, c.nextMessageId++, 1, c.sessionId, c.treeId, closeBody));
            for (int i = 0; i <= n; i++) {
                List<RawClient.Response> rs = c.readCompound();
                assertEquals(1, rs.size());
                RawClient.Response r = rs.get(0);
                assertEquals(8, r.command(), "every READ is answered before the CLOSE");
                int offset = offsetOf.remove(r.messageId());
                if (offset < 0) {
                    assertEquals(Status.END_OF_FILE, r.status());
                    continue;
                }
                assertEquals(0, r.status());
                byte[] got = new byte[r.body().getInt(4)];
                r.body().position(16).get(got);
                assertArrayEquals(Arrays.copyOfRange(data, offset, offset + chunk), got, "bytes at " + offset);
            }
            assertTrue(offsetOf.isEmpty());
            RawClient.Response close = c.read();
            assertEquals(6, close.command());
            assertEquals(closeId, close.messageId());
            assertEquals(0, close.status());
        }
    }
}
