package dev.tevent4j.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** smbj against a read-only share on the epoll backend (threadpool mode): anonymous, every dialect. */
class SmbjTest {
    @TempDir
    static Path root;
    static SmbFixture fx;
    static byte[] small, large;

    @BeforeAll
    static void start() throws Exception {
        small = SmbFixture.randomBytes(100_000, 1);
        large = SmbFixture.randomBytes(17 << 20, 2);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("large.bin"), large);
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/hello.txt"), "hello");
        fx = SmbFixture.threadpool(root, false, Users.none());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static byte[] readAll(DiskShare share, String path) throws Exception {
        try (File f = share.openFile(path, EnumSet.of(AccessMask.GENERIC_READ), null, SMB2ShareAccess.ALL,
                SMB2CreateDisposition.FILE_OPEN, null); InputStream in = f.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SMB2Dialect.class, names = {"SMB_2_0_2", "SMB_2_1", "SMB_3_0", "SMB_3_0_2", "SMB_3_1_1"})
    void anonymousListAndReadInEveryDialect(SMB2Dialect dialect) throws Exception {
        try (SMBClient client = SmbFixture.client(false, dialect); Connection conn = client.connect("127.0.0.1", fx.port)) {
            assertEquals(dialect, conn.getNegotiatedProtocol().getDialect());
            Session session = conn.authenticate(AuthenticationContext.anonymous());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                Set<String> names = share.list("").stream().map(FileIdBothDirectoryInformation::getFileName).collect(Collectors.toSet());
                assertEquals(Set.of(".", "..", "small.bin", "large.bin", "sub"), names);
                assertEquals(Set.of(".", "..", "hello.txt", "deeper"),
                        share.list("sub").stream().map(FileIdBothDirectoryInformation::getFileName).collect(Collectors.toSet()));
                assertArrayEquals(small, readAll(share, "small.bin"));
                assertEquals("hello", new String(readAll(share, "sub\\hello.txt")));
                FileAllInformation info = share.getFileInformation("small.bin");
                assertEquals(small.length, info.getStandardInformation().getEndOfFile());
                assertTrue(share.folderExists("sub"));
                assertTrue(share.fileExists("sub\\hello.txt"));
            }
        }
    }

    @Test
    void largeMultiCreditReadMatchesSha256() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", fx.port)) {
            assertEquals(SMB2Dialect.SMB_3_1_1, conn.getNegotiatedProtocol().getDialect());
            assertTrue(conn.getNegotiatedProtocol().getMaxReadSize() >= 8 << 20, "8 MiB reads offered");
            Session session = conn.authenticate(AuthenticationContext.anonymous());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                assertEquals(SmbFixture.sha256(large), SmbFixture.sha256(readAll(share, "large.bin")));
            }
        }
    }

    @Test
    void guestWithAnyNameWhenThereAreNoAccounts() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", fx.port)) {
            Session session = conn.authenticate(new AuthenticationContext("someone", "pw".toCharArray(), null));
            assertTrue(session.isGuest());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                List<String> names = share.list("sub").stream().map(FileIdBothDirectoryInformation::getFileName).toList();
                assertTrue(names.contains("hello.txt"), names.toString());
            }
        }
    }
}
