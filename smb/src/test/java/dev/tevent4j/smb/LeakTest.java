package dev.tevent4j.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.DiskShare;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A server started, used (files left open, connections dropped mid-frame) and stopped leaves no fd behind. */
class LeakTest {
    @TempDir
    Path root;

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    void cycle(ReadMode mode, String backend) throws Exception {
        try (SmbFixture fx = new SmbFixture(root, mode, backend, true, Users.none())) {
            for (int i = 0; i < 3; i++) {
                try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", fx.port)) {
                    DiskShare share = (DiskShare) conn.authenticate(AuthenticationContext.anonymous()).connectShare("data");
                    SmbjTest.readAll(share, "f.bin");
                    // opened and never closed: the server closes it with the connection
                    share.openFile("f.bin", EnumSet.of(AccessMask.GENERIC_READ), null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null);
                    share.list("");
                }
                try (RawClient raw = new RawClient(fx.port).login("data")) {
                    long[] id = new long[1];
                    raw.open("f.bin", id);
                    raw.sendFrame(RawClient.message(8, raw.nextMessageId, 16, raw.sessionId, raw.treeId, RawClient.readBody(id[0], 1 << 20, 0)));
                    raw.sendRaw(new byte[] {0, 0, 1}); // half a frame, then gone
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"threadpool,epoll", "ring,hybrid", "splice,hybrid", "zc,hybrid"})
    void noFdLeft(ReadMode mode, String backend) throws Exception {
        if (!backend.equals("epoll")) ReadModesTest.assumeUsable(backend);
        Files.write(root.resolve("f.bin"), SmbFixture.randomBytes(2 << 20, 4));
        cycle(mode, backend); // warm up: classes, jars and the JDK's own fds
        long before = openFds();
        cycle(mode, backend);
        long after = openFds();
        assertEquals(before, after, "fds after a server's life (" + mode + " on " + backend + ")");
    }
}
