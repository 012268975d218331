package dev.tevent4j.smb;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated frames against a running server, after a valid login: each gets an answer or a
 * dropped connection, and the server keeps answering a fresh client every time.
 */
class FrameFuzzPropertiesTest {
    static Path root;
    static SmbServer server;
    static int port;

    @BeforeContainer
    static void start() throws Exception {
        root = Files.createTempDirectory("smb-fuzz");
        Files.writeString(root.resolve("a.txt"), "fuzz");
        server = new SmbServer(new SmbOptions(root, "data").port(0).mode(ReadMode.threadpool));
        port = server.start();
    }

    @AfterContainer
    static void stop() throws IOException {
        server.close();
        Files.deleteIfExists(root.resolve("a.txt"));
        Files.deleteIfExists(root);
    }


    static byte[] base(int which) {
        ByteBuffer q = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        return switch (which) {
            case 0 -> RawClient.message(0, 4, 1, 0, 0, RawClient.negotiateBody(0x0202, 0x0210, 0x0300, 0x0311));
            case 1 -> RawClient.message(5, 4, 1, 1, 1, RawClient.createBody("a.txt", 0x00120089, 1, 0));
            case 2 -> RawClient.message(8, 4, 1, 1, 1, RawClient.readBody(1, 4096, 0));
            case 3 -> {
                q.putShort((short) 33).put((byte) 37).put((byte) 1).putInt(0).putLong(-1).putLong(-1).putShort((short) 96).putShort((short) 2);
                q.putInt(65536);
                yield RawClient.concat(RawClient.message(14, 4, 1, 1, 1, q.array()), new byte[] {'*', 0});
            }
            case 4 -> RawClient.message(1, 4, 1, 1, 0, RawClient.sessionSetupBody(Spnego.initHint()));
            default -> RawClient.message(16, 4, 1, 1, 1, new byte[40]);
        };
    }

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<Integer> which = Arbitraries.integers().between(0, 5);
        Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, 200).list().ofMaxSize(6);
        Arbitrary<List<Integer>> values = Arbitraries.integers().between(0, 255).list().ofSize(6);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 220);
        return Combinators.combine(which, positions, values, cut).as((w, pos, val, c) -> {
            byte[] m = base(w);
            for (int i = 0; i < pos.size(); i++) if (pos.get(i) < m.length) m[pos.get(i)] = (byte) (int) val.get(i);
            return c < m.length && c % 3 == 0 ? java.util.Arrays.copyOf(m, c) : m;
        });
    }

    @Property(tries = 1000)
    void anyFrameGetsAnAnswerOrADropAndTheServerLivesOn(@ForAll("frames") byte[] frame) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.socket.setSoTimeout(2000);
            c.login("data");
            // the mutated frame uses the session and tree of this login, with the next message id
            if (frame.length >= 32) ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putLong(24, c.nextMessageId);
            if (frame.length >= 48) ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putLong(40, c.sessionId).putInt(36, c.treeId);
            c.sendFrame(frame);
            try {
                c.read();
            } catch (IOException dropped) {
                if (dropped instanceof SocketTimeoutException) {
                    // no answer within 2 s: only a frame shorter than its NetBIOS length may wait (for the rest)
                    assertEquals(true, frame.length < 64, "no answer to a complete frame");
                } else if (!(dropped instanceof SocketException) && !(dropped instanceof java.io.EOFException)) {
                    throw dropped;
                }
            }
        }
        try (RawClient fresh = new RawClient(port)) {
            assertEquals(0, fresh.call(0, RawClient.negotiateBody(0x0210)).status());
        }
    }
}
