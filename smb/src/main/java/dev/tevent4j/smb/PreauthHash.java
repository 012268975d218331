package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SMB 3.1.1 preauthentication integrity (MS-SMB2 3.3.5.4, 3.3.5.5): H(i) = SHA-512(H(i-1) ||
 * message), from 64 zero bytes, over the NEGOTIATE request and response (the connection's
 * value), then, per session, over each SESSION_SETUP request and response but the final success.
 */
final class PreauthHash {
    private byte[] value;

    PreauthHash() {
        value = new byte[64];
    }

    PreauthHash(byte[] start) {
        value = start.clone();
    }

    void update(MemorySegment message) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            sha.update(value);
            sha.update(message.asByteBuffer());
            value = sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        }
    }

    byte[] value() {
        return value.clone();
    }
}
