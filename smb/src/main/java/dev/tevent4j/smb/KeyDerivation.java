package dev.tevent4j.smb;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * SMB3's key derivation (MS-SMB2 3.1.4.2): NIST SP800-108 in counter mode with HMAC-SHA256,
 * one block, 128 bits out. The input is i(=1, 4 bytes big-endian) || label || 0x00 || context ||
 * L(=128, 4 bytes big-endian); the spec's labels and contexts already end with a NUL.
 */
final class KeyDerivation {
    private KeyDerivation() {}

    static final byte[] LABEL_30 = ascii("SMB2AESCMAC\0"), CONTEXT_30 = ascii("SmbSign\0");
    static final byte[] LABEL_311 = ascii("SMBSigningKey\0");

    /** The 16-byte signing key of a session for {@code dialect}; {@code preauthHash} is used by 3.1.1 only. */
    static byte[] signingKey(byte[] sessionKey, int dialect, byte[] preauthHash) {
        return dialect == Negotiate.SMB311 ? derive(sessionKey, LABEL_311, preauthHash) : derive(sessionKey, LABEL_30, CONTEXT_30);
    }

    static byte[] derive(byte[] key, byte[] label, byte[] context) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(new byte[] {0, 0, 0, 1});
            mac.update(label);
            mac.update((byte) 0);
            mac.update(context);
            mac.update(new byte[] {0, 0, 0, (byte) 128});
            byte[] out = new byte[16];
            System.arraycopy(mac.doFinal(), 0, out, 0, 16);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
