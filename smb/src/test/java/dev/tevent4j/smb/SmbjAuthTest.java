package dev.tevent4j.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
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

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** smbj with accounts: NTLMv2 verified, wrong passwords refused, signing required in every dialect, writes. */
class SmbjAuthTest {
    @TempDir
    static Path dir;
    static SmbFixture writable, readOnly;
    static byte[] data;

    @BeforeAll
    static void start() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# accounts\nalice:s3cret pw\nBob:hunter2\n");
        Path rw = Files.createDirectories(dir.resolve("rw")), ro = Files.createDirectories(dir.resolve("ro"));
        data = SmbFixture.randomBytes(3 << 20, 7);
        Files.write(ro.resolve("file.bin"), data);
        writable = SmbFixture.threadpool(rw, true, Users.load(users));
        readOnly = SmbFixture.threadpool(ro, false, Users.load(users));
    }

    @AfterAll
    static void stop() {
        writable.close();
        readOnly.close();
    }

    static AuthenticationContext alice() {
        return new AuthenticationContext("alice", "s3cret pw".toCharArray(), "WORKGROUP");
    }

    @ParameterizedTest
    @EnumSource(value = SMB2Dialect.class, names = {"SMB_2_0_2", "SMB_2_1", "SMB_3_0", "SMB_3_0_2", "SMB_3_1_1"})
    void signingRequiredWithAPasswordInEveryDialect(SMB2Dialect dialect) throws Exception {
        try (SMBClient client = SmbFixture.client(true, dialect); Connection conn = client.connect("127.0.0.1", readOnly.port)) {
            Session session = conn.authenticate(alice());
            assertFalse(session.isGuest());
            assertFalse(session.isAnonymous());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                assertTrue(share.list("").stream().map(FileIdBothDirectoryInformation::getFileName).anyMatch("file.bin"::equals));
                assertArrayEquals(data, SmbjTest.readAll(share, "file.bin"));
            }
        }
    }

    @Test
    void userNamesMatchCaseInsensitively() throws Exception {
        try (SMBClient client = SmbFixture.client(true); Connection conn = client.connect("127.0.0.1", readOnly.port)) {
            Session session = conn.authenticate(new AuthenticationContext("BOB", "hunter2".toCharArray(), ""));
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                assertTrue(share.fileExists("file.bin"));
            }
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", readOnly.port)) {
            SMBApiException e = assertThrows(SMBApiException.class,
                    () -> conn.authenticate(new AuthenticationContext("alice", "wrong".toCharArray(), "WORKGROUP")));
            assertEquals(NtStatus.STATUS_LOGON_FAILURE, e.getStatus());
            SMBApiException unknown = assertThrows(SMBApiException.class,
                    () -> conn.authenticate(new AuthenticationContext("mallory", "x".toCharArray(), "")));
            assertEquals(NtStatus.STATUS_LOGON_FAILURE, unknown.getStatus());
            // the connection still works for a right password
            assertFalse(conn.authenticate(alice()).isGuest());
        }
    }

    @Test
    void anonymousStillWorksWithAccounts() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", readOnly.port)) {
            Session session = conn.authenticate(AuthenticationContext.anonymous());
            assertTrue(session.isAnonymous());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                assertTrue(share.fileExists("file.bin"));
            }
        }
    }

    @Test
    void writeOnAWritableShareWithSigning() throws Exception {
        byte[] payload = SmbFixture.randomBytes((9 << 20) + 12345, 9); // more than one 8 MiB WRITE
        try (SMBClient client = SmbFixture.client(true); Connection conn = client.connect("127.0.0.1", writable.port)) {
            Session session = conn.authenticate(alice());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                share.mkdir("newdir");
                try (File f = share.openFile("newdir\\up.bin", EnumSet.of(AccessMask.GENERIC_WRITE, AccessMask.GENERIC_READ), null,
                        SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OVERWRITE_IF, null); OutputStream out = f.getOutputStream()) {
                    out.write(payload);
                }
                assertEquals(SmbFixture.sha256(payload), SmbFixture.sha256(writable.root.resolve("newdir/up.bin")));
                assertArrayEquals(payload, SmbjTest.readAll(share, "newdir\\up.bin"));
                SMBApiException notEmpty = assertThrows(SMBApiException.class, () -> share.rmdir("newdir", false));
                assertEquals(NtStatus.STATUS_DIRECTORY_NOT_EMPTY, notEmpty.getStatus());
                share.rm("newdir\\up.bin");
                share.rmdir("newdir", false);
                assertFalse(Files.exists(writable.root.resolve("newdir")));
            }
        }
    }

    @Test
    void writeIsRefusedOnAReadOnlyShare() throws Exception {
        try (SMBClient client = SmbFixture.client(false); Connection conn = client.connect("127.0.0.1", readOnly.port)) {
            Session session = conn.authenticate(alice());
            try (DiskShare share = (DiskShare) session.connectShare("data")) {
                SMBApiException e = assertThrows(SMBApiException.class, () -> share.openFile("new.bin", EnumSet.of(AccessMask.GENERIC_WRITE),
                        null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OVERWRITE_IF, null));
                assertEquals(NtStatus.STATUS_ACCESS_DENIED, e.getStatus());
                SMBApiException overwrite = assertThrows(SMBApiException.class, () -> share.openFile("file.bin", EnumSet.of(AccessMask.FILE_WRITE_DATA),
                        null, SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN, null));
                assertEquals(NtStatus.STATUS_ACCESS_DENIED, overwrite.getStatus());
                SMBApiException delete = assertThrows(SMBApiException.class, () -> share.rm("file.bin"));
                assertEquals(NtStatus.STATUS_ACCESS_DENIED, delete.getStatus());
                assertFalse(Files.exists(readOnly.root.resolve("new.bin")));
                assertArrayEquals(data, Files.readAllBytes(readOnly.root.resolve("file.bin")));
            }
        }
    }
}
