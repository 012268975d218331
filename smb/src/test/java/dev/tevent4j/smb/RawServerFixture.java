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

/** A server (threadpool mode, a 1 s send and frame timeout) over a share with links in and out, for raw-socket tests. */
abstract class RawServerFixture {
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

}
