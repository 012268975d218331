package dev.tevent4j.smb;

import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every read path moves the same bytes: threadpool on epoll, ring, splice and zc on the
 * io_uring backends (skipped, saying why, where io_uring is unusable). Each is read unsigned
 * (splice really splices) and signed (splice falls back to reading through memory).
 */
class ReadModesTest {
    @TempDir
    Path dir;

    static void assumeUsable(String backend) {
        for (Backend b : EventLoop.availableBackends()) {
            if (b.name().equals(backend)) {
                if (!b.usable()) {
                    System.err.println("SKIPPED: backend " + backend + " is unusable here: " + b.reason());
                    Assumptions.abort("backend " + backend + " is unusable here: " + b.reason());
                }
                return;
            }
        }
        Assumptions.abort("no backend " + backend);
    }

    @ParameterizedTest
    @CsvSource({"threadpool,epoll", "ring,hybrid", "splice,hybrid", "zc,hybrid", "ring,uring", "splice,uring", "zc,uring"})
    void everyModeServesTheSameBytes(ReadMode mode, String backend) throws Exception {
        assumeUsable(backend);
        Path root = Files.createDirectories(dir.resolve("share"));
        byte[] big = SmbFixture.randomBytes((17 << 20) + 4321, 11), tiny = SmbFixture.randomBytes(10, 12);
        Files.write(root.resolve("big.bin"), big);
        Files.write(root.resolve("tiny.bin"), tiny);
        Files.write(dir.resolve("users"), List.of("alice:pw"));
        try (SmbFixture fx = new SmbFixture(root, mode, backend, false, Users.load(dir.resolve("users")))) {
            assertEquals(backend, fx.server.backendName());
            for (boolean signed : new boolean[] {false, true}) {
                try (SMBClient client = SmbFixture.client(signed); Connection conn = client.connect("127.0.0.1", fx.port)) {
                    Session s = conn.authenticate(signed ? new AuthenticationContext("alice", "pw".toCharArray(), "") : AuthenticationContext.anonymous());
                    try (DiskShare share = (DiskShare) s.connectShare("data")) {
                        assertEquals(SmbFixture.sha256(big), SmbFixture.sha256(SmbjTest.readAll(share, "big.bin")), mode + " signed=" + signed);
                        assertEquals(SmbFixture.sha256(tiny), SmbFixture.sha256(SmbjTest.readAll(share, "tiny.bin")));
                    }
                }
            }
            if (mode != ReadMode.threadpool) {
                Path got = dir.resolve("got");
                SmbclientTest.Smbclient.assumeInstalled();
                SmbclientTest.Smbclient.run(fx.port, List.of("-N"), "get big.bin " + got);
                assertEquals(SmbFixture.sha256(big), SmbFixture.sha256(got));
            }
        }
    }

    @Test
    void ringModesAreRefusedOnEpollWithAClearMessage() throws Exception {
        for (ReadMode mode : new ReadMode[] {ReadMode.ring, ReadMode.splice, ReadMode.zc}) {
            SmbServer server = new SmbServer(new SmbOptions(dir, "data").port(0).mode(mode).backend("epoll"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, server::start);
            assertTrue(e.getMessage().contains("--mode " + mode + " needs io_uring"), e.getMessage());
        }
    }

    @Test
    void theDefaultModeIsRing() {
        assertEquals(ReadMode.ring, ReadMode.DEFAULT);
    }
}
