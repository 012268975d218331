package dev.tevent4j.smb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hand-made NTLMv2 login that requires signing, then requests signed by the test itself: a
 * right signature is accepted and the response's verifies; a wrong one, or none, is refused
 * with STATUS_ACCESS_DENIED, and the connection stays usable.
 */
class SigningTest {
    @TempDir
    static Path dir;
    static SmbFixture fx;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("users"), "alice:pw\n");
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "signed");
        fx = SmbFixture.threadpool(share, false, Users.load(dir.resolve("users")));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static byte[] signed(byte[] message, Signing signing) {
        byte[] copy = message.clone();
        signing.sign(MemorySegment.ofArray(copy));
        return copy;
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0210, 0x0300, 0x0302})
    void signaturesAreCheckedBothWays(int dialect) throws Exception {
        try (RawClient c = new RawClient(fx.port)) {
            byte[] neg = RawClient.negotiateBody(dialect);
            neg[4] = 2; // SecurityMode: signing required
            assertEquals(0, c.call(0, neg).status());
            byte[] ntlmNegotiate = new byte[32];
            System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, ntlmNegotiate, 0, 8);
            ntlmNegotiate[8] = 1;
            ByteBuffer.wrap(ntlmNegotiate).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0x1 | 0x4 | 0x10 | 0x200 | 0x80000);
            RawClient.Response challengeResponse = c.call(1, RawClient.sessionSetupBody(ntlmNegotiate));
            assertEquals(Status.MORE_PROCESSING_REQUIRED, challengeResponse.status());
            c.sessionId = challengeResponse.sessionId();
            ByteBuffer body = challengeResponse.body();
            byte[] challenge = new byte[body.getShort(6)];
            body.position(body.getShort(4) - 64).get(challenge);
            ByteBuffer ch = ByteBuffer.wrap(challenge).order(ByteOrder.LITTLE_ENDIAN);
            byte[] serverChallenge = Arrays.copyOfRange(challenge, 24, 32);
            byte[] targetInfo = Arrays.copyOfRange(challenge, ch.getInt(44), ch.getInt(44) + (ch.getShort(40) & 0xffff));

            byte[] owf = Ntlm.hmacMd5(Ntlm.md4("pw".getBytes(StandardCharsets.UTF_16LE)), "ALICE".getBytes(StandardCharsets.UTF_16LE));
            ByteBuffer blob = ByteBuffer.allocate(28 + targetInfo.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            blob.put(new byte[] {1, 1, 0, 0, 0, 0, 0, 0}).putLong(Wire.fileTime(System.currentTimeMillis() / 1000, 0))
                    .put(SmbFixture.randomBytes(8, 5)).putInt(0).put(targetInfo).putInt(0);
            byte[] proof = Ntlm.hmacMd5(owf, Ntlm.concat(serverChallenge, blob.array()));
            byte[] nt = Ntlm.concat(proof, blob.array());
            byte[] sessionKey = Ntlm.hmacMd5(owf, proof);
            byte[] user = "alice".getBytes(StandardCharsets.UTF_16LE);
            ByteBuffer auth = ByteBuffer.allocate(64 + nt.length + user.length).order(ByteOrder.LITTLE_ENDIAN);
            auth.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII)).putInt(3);
            auth.putShort((short) 0).putShort((short) 0).putInt(64);                                          // LM: none
            auth.putShort((short) nt.length).putShort((short) nt.length).putInt(64);                          // NT
            auth.putShort((short) 0).putShort((short) 0).putInt(64 + nt.length);                              // domain: none
            auth.putShort((short) user.length).putShort((short) user.length).putInt(64 + nt.length);          // user
            auth.putShort((short) 0).putShort((short) 0).putInt(64 + nt.length + user.length);                // workstation
            auth.putShort((short) 0).putShort((short) 0).putInt(64 + nt.length + user.length);                // no key exchange
            auth.putInt(0x1 | 0x10 | 0x200 | 0x80000).put(nt).put(user);
            byte[] setup = RawClient.sessionSetupBody(auth.array());
            setup[3] = 2; // SecurityMode: signing required
            RawClient.Response done = c.call(1, setup);
            assertEquals(0, done.status(), "NTLMv2 accepted");
            Signing signing = new Signing(sessionKey, dialect, null);

            byte[] path = "\\\\127.0.0.1\\data".getBytes(StandardCharsets.UTF_16LE);
            ByteBuffer t = ByteBuffer.allocate(8 + path.length).order(ByteOrder.LITTLE_ENDIAN);
            t.putShort((short) 9).putShort((short) 0).putShort((short) 72).putShort((short) path.length).put(path);
            c.sendFrame(signed(RawClient.message(3, c.nextMessageId++, 1, c.sessionId, 0, t.array()), signing));
            byte[] raw = c.readRaw();
            assertTrue(signing.verify(MemorySegment.ofArray(raw)), "the TREE_CONNECT response is signed with the session's key");
            RawClient.Response tree = RawClient.parse(raw);
            assertEquals(0, tree.status());
            c.treeId = tree.treeId();

            byte[] create = RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("a.txt", 0x00120089, 1, 0));
            byte[] tampered = signed(create, signing);
            tampered[48] ^= 1;
            c.sendFrame(tampered);
            assertEquals(Status.ACCESS_DENIED, c.read().status(), "a wrong signature");
            c.sendFrame(RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("a.txt", 0x00120089, 1, 0)));
            assertEquals(Status.ACCESS_DENIED, c.read().status(), "no signature where signing is required");
            c.sendFrame(signed(RawClient.message(5, c.nextMessageId++, 1, c.sessionId, c.treeId, RawClient.createBody("a.txt", 0x00120089, 1, 0)), signing));
            byte[] ok = c.readRaw();
            assertTrue(signing.verify(MemorySegment.ofArray(ok)));
            assertEquals(0, RawClient.parse(ok).status(), "a right signature");
        }
    }
}
