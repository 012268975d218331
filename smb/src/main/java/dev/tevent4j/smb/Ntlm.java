package dev.tevent4j.smb;

import org.bouncycastle.crypto.digests.MD4Digest;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

/**
 * The server side of NTLMSSP (MS-NLMP): the CHALLENGE for a client's NEGOTIATE, then the
 * AUTHENTICATE checked: anonymous (empty user and NT response), an account of {@link Users}
 * with its NTLMv2 response verified, or a guest. NTLMv1 responses are refused. The target
 * information carries no timestamp, so clients send no MIC and SPNEGO needs no mechListMIC
 * (a MIC a client sends anyway is not checked: see docs/smb.md).
 */
final class Ntlm {
    static final int NEGOTIATE_UNICODE = 0x1, REQUEST_TARGET = 0x4, NEGOTIATE_SIGN = 0x10, NEGOTIATE_NTLM = 0x200,
            ANONYMOUS = 0x800, ALWAYS_SIGN = 0x8000, TARGET_TYPE_SERVER = 0x20000, EXTENDED_SESSIONSECURITY = 0x80000,
            TARGET_INFO = 0x800000, NEGOTIATE_VERSION = 0x2000000, NEGOTIATE_128 = 0x20000000, KEY_EXCH = 0x40000000,
            NEGOTIATE_56 = 0x80000000;
    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How an AUTHENTICATE ended. {@code sessionKey} is null for anonymous and guest sessions. */
    record Result(int status, boolean anonymous, boolean guest, String user, byte[] sessionKey) {}

    private final String serverName;
    private final byte[] challenge = new byte[8];
    private int flags;

    Ntlm(String serverName) {
        this.serverName = serverName.toUpperCase(Locale.ROOT);
        RANDOM.nextBytes(challenge);
    }

    static boolean isNtlmssp(byte[] b) {
        return b.length >= 12 && Arrays.equals(b, 0, 8, SIGNATURE, 0, 8);
    }

    static int messageType(byte[] b) {
        return Wire.le32(b, 8);
    }

    /** The CHALLENGE_MESSAGE answering {@code negotiate} (a NEGOTIATE_MESSAGE). */
    byte[] challenge(byte[] negotiate) {
        if (!isNtlmssp(negotiate) || messageType(negotiate) != 1 || negotiate.length < 16) throw new IllegalArgumentException("not an NTLMSSP NEGOTIATE");
        int asked = Wire.le32(negotiate, 12);
        flags = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | ALWAYS_SIGN | TARGET_TYPE_SERVER | EXTENDED_SESSIONSECURITY
                | TARGET_INFO | NEGOTIATE_VERSION | (asked & (NEGOTIATE_SIGN | NEGOTIATE_128 | NEGOTIATE_56 | KEY_EXCH));
        byte[] name = serverName.getBytes(StandardCharsets.UTF_16LE);
        byte[] dns = serverName.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE);
        byte[] info = concat(av(2, name), av(1, name), av(4, dns), av(3, dns), av(0, new byte[0]));
        byte[] m = new byte[56 + name.length + info.length];
        System.arraycopy(SIGNATURE, 0, m, 0, 8);
        Wire.le32(m, 8, 2);
        field(m, 12, name.length, 56);
        Wire.le32(m, 20, flags);
        System.arraycopy(challenge, 0, m, 24, 8);
        field(m, 40, info.length, 56 + name.length);
        byte[] version = {6, 1, (byte) 0xb1, 0x1d, 0, 0, 0, 15};
        System.arraycopy(version, 0, m, 48, 8);
        System.arraycopy(name, 0, m, 56, name.length);
        System.arraycopy(info, 0, m, 56 + name.length, info.length);
        return m;
    }

    /**
     * Checks an AUTHENTICATE_MESSAGE.
     *
     * @throws IllegalArgumentException for a malformed message (fields outside it)
     */
    Result authenticate(byte[] m, Users users) {
        if (!isNtlmssp(m) || messageType(m) != 3 || m.length < 64) throw new IllegalArgumentException("not an NTLMSSP AUTHENTICATE");
        byte[] nt = fieldBytes(m, 20);
        String domain = utf16(fieldBytes(m, 28));
        String user = utf16(fieldBytes(m, 36));
        byte[] encryptedKey = fieldBytes(m, 52);
        int clientFlags = Wire.le32(m, 60);
        if (user.isEmpty() && nt.length == 0) return new Result(Status.SUCCESS, true, false, "", null);
        String password = users.password(user);
        if (password == null) {
            // Without accounts every named user is a guest; with them only "guest" is.
            boolean guest = !users.any() || user.equalsIgnoreCase("guest");
            return guest ? new Result(Status.SUCCESS, false, true, user, null) : new Result(Status.LOGON_FAILURE, false, false, user, null);
        }
        if (nt.length < 16 + 28) return new Result(Status.LOGON_FAILURE, false, false, user, null); // NTLMv1, or no NTLMv2 blob
        byte[] proof = Arrays.copyOf(nt, 16);
        byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
        byte[] ntHash = md4(password.getBytes(StandardCharsets.UTF_16LE));
        for (String dom : new String[] {domain, domain.toUpperCase(Locale.ROOT), ""}) {
            byte[] owf = hmacMd5(ntHash, (user.toUpperCase(Locale.ROOT) + dom).getBytes(StandardCharsets.UTF_16LE));
            byte[] expected = hmacMd5(owf, concat(challenge, blob));
            if (MessageDigest.isEqual(expected, proof)) {
                byte[] baseKey = hmacMd5(owf, proof);
                byte[] sessionKey = (clientFlags & flags & KEY_EXCH) != 0 && encryptedKey.length == 16 ? rc4(baseKey, encryptedKey) : baseKey;
                return new Result(Status.SUCCESS, false, false, user, sessionKey);
            }
        }
        return new Result(Status.LOGON_FAILURE, false, false, user, null);
    }

    private static byte[] av(int id, byte[] value) {
        byte[] b = new byte[4 + value.length];
        Wire.le16(b, 0, id);
        Wire.le16(b, 2, value.length);
        System.arraycopy(value, 0, b, 4, value.length);
        return b;
    }

    private static void field(byte[] m, int at, int len, int offset) {
        Wire.le16(m, at, len);
        Wire.le16(m, at + 2, len);
        Wire.le32(m, at + 4, offset);
    }

    private static byte[] fieldBytes(byte[] m, int at) {
        int len = Wire.le16(m, at);
        long off = Integer.toUnsignedLong(Wire.le32(m, at + 4));
        if (len == 0) return new byte[0];
        if (off + len > m.length) throw new IllegalArgumentException("NTLMSSP field past the message end");
        return Arrays.copyOfRange(m, (int) off, (int) off + len);
    }

    private static String utf16(byte[] b) {
        return new String(b, StandardCharsets.UTF_16LE);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] r = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    static byte[] md4(byte[] data) {
        MD4Digest d = new MD4Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[16];
        d.doFinal(out, 0);
        return out;
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 unavailable", e);
        }
    }

    static byte[] rc4(byte[] key, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("ARCFOUR");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RC4 unavailable", e);
        }
    }
}
