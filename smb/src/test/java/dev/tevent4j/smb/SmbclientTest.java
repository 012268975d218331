package dev.tevent4j.smb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Samba's smbclient against the server: ls, get, put compared by sha256; anonymous, a user, signing. */
class SmbclientTest {
    @TempDir
    static Path dir;
    static SmbFixture fx;
    static Path users, local;

    @BeforeAll
    static void start() throws Exception {
        Smbclient.assumeInstalled();
        users = dir.resolve("users");
        Files.writeString(users, "alice:s3cret pw\n");
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.write(share.resolve("big.bin"), SmbFixture.randomBytes(20 << 20, 3));
        Files.createDirectories(share.resolve("sub"));
        Files.writeString(share.resolve("sub/a.txt"), "hello\n");
        local = Files.createDirectories(dir.resolve("local"));
        fx = SmbFixture.threadpool(share, true, Users.load(users));
    }

    @AfterAll
    static void stop() {
        if (fx != null) fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "alice", "alice-signed-smb3", "alice-protection-sign", "alice-smb2", "alice-smb300", "alice-smb302"})
    void lsGetPut(String who) throws Exception {
        List<String> auth = switch (who) {
            case "anonymous" -> List.of("-N");
            case "alice" -> List.of("-U", "alice%s3cret pw");
            case "alice-signed-smb3" -> List.of("-U", "alice%s3cret pw", "-m", "SMB3", "--option=client signing=required");
            case "alice-protection-sign" -> List.of("-U", "alice%s3cret pw", "--client-protection=sign");
            // 3.0 and 3.0.2: the client checks the negotiate with FSCTL_VALIDATE_NEGOTIATE_INFO, signed
            case "alice-smb300" -> List.of("-U", "alice%s3cret pw", "-m", "SMB3_00", "--option=client signing=required");
            case "alice-smb302" -> List.of("-U", "alice%s3cret pw", "-m", "SMB3_02", "--option=client signing=required");
            default -> List.of("-U", "alice%s3cret pw", "-m", "SMB2_10", "--option=client signing=required");
        };
        Path got = local.resolve(who + ".got"), put = local.resolve(who + ".put");
        Files.write(put, SmbFixture.randomBytes((5 << 20) + 17, who.hashCode()));
        String out = Smbclient.run(fx.port, auth, "ls; cd sub; ls; cd ..; get big.bin " + got + "; put " + put + " " + who + ".up");
        assertTrue(out.contains("big.bin") && out.contains("a.txt"), out);
        assertEquals(SmbFixture.sha256(fx.root.resolve("big.bin")), SmbFixture.sha256(got));
        assertEquals(SmbFixture.sha256(put), SmbFixture.sha256(fx.root.resolve(who + ".up")));
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Smbclient.Result r = Smbclient.exec(fx.port, List.of("-U", "alice%nope"), "ls");
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("NT_STATUS_LOGON_FAILURE"), r.output());
    }

    @Test
    void aClientThatRequiresEncryptionIsNotServed() throws Exception {
        // No encryption is offered (no SEAL in NTLMSSP, no SMB2_GLOBAL_CAP_ENCRYPTION): the client gives up, the server goes on.
        Smbclient.Result r = Smbclient.exec(fx.port, List.of("-U", "alice%s3cret pw", "--client-protection=encrypt"), "ls");
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(Smbclient.run(fx.port, List.of("-N"), "ls").contains("big.bin"));
    }

    /** Runs smbclient; skips (with the reason) where it is not installed. */
    static final class Smbclient {
        record Result(int exit, String output) {}

        static void assumeInstalled() {
            boolean found = false;
            for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(p, "smbclient"))) found = true;
            }
            if (!found) System.err.println("SKIPPED: smbclient is not installed (bin/test installs the Debian package smbclient)");
            org.junit.jupiter.api.Assumptions.assumeTrue(found, "smbclient is not installed (bin/test installs the Debian package smbclient)");
        }

        static Result exec(int port, List<String> auth, String commands) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("smbclient", "//127.0.0.1/data", "-p", String.valueOf(port)));
            cmd.addAll(auth);
            cmd.addAll(List.of("-c", commands));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("smbclient did not finish: " + new String(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        }

        static String run(int port, List<String> auth, String commands) throws IOException, InterruptedException {
            Result r = exec(port, auth, commands);
            assertEquals(0, r.exit(), "smbclient " + auth + " -c '" + commands + "':\n" + r.output());
            return r.output();
        }
    }
}
