package dev.tevent4j.smb;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Message signing of one session (MS-SMB2 3.1.4.1): HMAC-SHA256 of the session key, first 16
 * bytes, for 2.0.2 and 2.1; AES-128-CMAC of the derived signing key for 3.x. The signature covers
 * one message (a compound's element up to its NextCommand) with the signature field zeroed.
 * One instance per session, used on the loop thread only (the MACs are stateful).
 */
final class Signing {
    private final boolean cmac;
    private final Mac hmac;
    private final CMac aesCmac;
    private final byte[] sig = new byte[16];
    private final byte[] full = new byte[32];

    Signing(byte[] sessionKey, int dialect, byte[] preauthHash) {
        cmac = dialect >= Negotiate.SMB300;
        try {
            if (cmac) {
                aesCmac = new CMac(AESEngine.newInstance());
                aesCmac.init(new KeyParameter(KeyDerivation.signingKey(sessionKey, dialect, preauthHash)));
                hmac = null;
            } else {
                hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
                aesCmac = null;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Signs {@code message} in place: sets the SIGNED flag and writes the signature. */
    void sign(MemorySegment message) {
        Wire.put32(message, Smb2Header.OFF_FLAGS, Smb2Header.flags(message) | Smb2Header.FLAG_SIGNED);
        Wire.zero(message, Smb2Header.OFF_SIGNATURE, 16);
        compute(message);
        Wire.putBytes(message, Smb2Header.OFF_SIGNATURE, sig);
    }

    /** Whether {@code message}'s signature is right; leaves the message as it was. */
    boolean verify(MemorySegment message) {
        byte[] given = Wire.bytes(message, Smb2Header.OFF_SIGNATURE, 16);
        Wire.zero(message, Smb2Header.OFF_SIGNATURE, 16);
        compute(message);
        Wire.putBytes(message, Smb2Header.OFF_SIGNATURE, given);
        return MessageDigest.isEqual(given, sig);
    }

    private void compute(MemorySegment message) {
        if (cmac) {
            update(message);
            aesCmac.doFinal(sig, 0);
        } else {
            hmac.update(message.asByteBuffer());
            try {
                hmac.doFinal(full, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            System.arraycopy(full, 0, sig, 0, 16);
        }
    }

    private final byte[] chunk = new byte[8192];

    private void update(MemorySegment message) {
        long n = message.byteSize();
        for (long off = 0; off < n; off += chunk.length) {
            int len = (int) Math.min(chunk.length, n - off);
            MemorySegment.copy(message, java.lang.foreign.ValueLayout.JAVA_BYTE, off, chunk, 0, len);
            aesCmac.update(chunk, 0, len);
        }
    }
}
