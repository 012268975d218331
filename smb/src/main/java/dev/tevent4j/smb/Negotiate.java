package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;

/**
 * NEGOTIATE (MS-SMB2 2.2.3, 2.2.4, 3.3.5.4): picks the highest dialect both sides speak, from
 * 2.0.2 to 3.1.1; for 3.1.1 takes the preauth-integrity context (SHA-512) and starts the
 * connection's preauth hash. Signing is enabled, not required; encryption is not offered.
 */
final class Negotiate {
    private Negotiate() {}

    static final int SMB202 = 0x0202, SMB210 = 0x0210, SMB300 = 0x0300, SMB302 = 0x0302, SMB311 = 0x0311;
    static final int SECURITY_SIGNING_ENABLED = 0x1, SECURITY_SIGNING_REQUIRED = 0x2;
    static final int CAP_LARGE_MTU = 0x4;
    private static final int PREAUTH_CONTEXT = 1, SHA_512 = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    static int handle(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 36 || x.bodySize() < 36) return Status.INVALID_PARAMETER;
        int count = Wire.u16(r, 66);
        if (count == 0 || x.bodySize() < 36 + 2L * count) return Status.INVALID_PARAMETER;
        int[] dialects = new int[count];
        int chosen = -1;
        for (int i = 0; i < count; i++) {
            dialects[i] = Wire.u16(r, 100 + 2 * i);
            int d = dialects[i];
            if ((d == SMB202 || d == SMB210 || d == SMB300 || d == SMB302 || d == SMB311) && d > chosen) chosen = d;
        }
        if (chosen < 0) return Status.NOT_SUPPORTED;
        if (chosen == SMB311 && !hasSha512(x)) return Status.INVALID_PARAMETER;
        c.dialect = chosen;
        c.clientDialects = dialects;
        c.clientSecurityMode = Wire.u16(r, 68);
        c.clientCapabilities = Wire.i32(r, 72);
        c.clientGuid = Wire.bytes(r, 76, 16);

        byte[] blob = Spnego.initHint();
        MemorySegment b = c.body(64 + blob.length + 8 + 48);
        Wire.zero(b, 0, 64);
        Wire.put16(b, 0, 65);
        Wire.put16(b, 2, SECURITY_SIGNING_ENABLED);
        Wire.put16(b, 4, chosen);
        Wire.putBytes(b, 8, c.server.serverGuid);
        Wire.put32(b, 24, serverCapabilities(chosen));
        int max = chosen == SMB202 ? 65536 : SmbOptions.MAX_IO;
        Wire.put32(b, 28, max);
        Wire.put32(b, 32, max);
        Wire.put32(b, 36, max);
        long now = System.currentTimeMillis();
        Wire.put64(b, 40, Wire.fileTime(now / 1000, (int) (now % 1000) * 1_000_000));
        Wire.put16(b, 56, Smb2Header.SIZE + 64);
        Wire.put16(b, 58, blob.length);
        Wire.putBytes(b, 64, blob);
        int len = 64 + blob.length;
        if (chosen == SMB311) {
            int ctx = Wire.align8(Smb2Header.SIZE + len) - Smb2Header.SIZE;
            Wire.zero(b, len, ctx - len);
            Wire.put16(b, 6, 1);
            Wire.put32(b, 60, Smb2Header.SIZE + ctx);
            Wire.put16(b, ctx, PREAUTH_CONTEXT);
            Wire.put16(b, ctx + 2, 38);
            Wire.put32(b, ctx + 4, 0);
            Wire.put16(b, ctx + 8, 1);      // HashAlgorithmCount
            Wire.put16(b, ctx + 10, 32);    // SaltLength
            Wire.put16(b, ctx + 12, SHA_512);
            byte[] salt = new byte[32];
            RANDOM.nextBytes(salt);
            Wire.putBytes(b, ctx + 14, salt);
            len = ctx + 8 + 38;
            c.preauth = new PreauthHash();
            c.preauth.update(x.request);
            x.afterResponse = c.preauth::update;
        }
        x.bodyLength = len;
        return Status.SUCCESS;
    }

    static int serverCapabilities(int dialect) {
        return dialect == SMB202 ? 0 : CAP_LARGE_MTU;
    }

    /** Whether the 3.1.1 request has a preauth-integrity context that lists SHA-512 (it must). */
    private static boolean hasSha512(Exchange x) {
        MemorySegment r = x.request;
        long off = Wire.u32(r, 92);
        int count = Wire.u16(r, 96);
        for (int i = 0; i < count; i++) {
            if (off < Smb2Header.SIZE || off + 8 > r.byteSize()) return false;
            int type = Wire.u16(r, off), len = Wire.u16(r, off + 2);
            if (off + 8 + len > r.byteSize()) return false;
            if (type == PREAUTH_CONTEXT && len >= 4) {
                int algs = Wire.u16(r, off + 8);
                if (8 + 4 + 2L * algs > 8 + len) return false;
                for (int a = 0; a < algs; a++) if (Wire.u16(r, off + 12 + 2L * a) == SHA_512) return true;
                return false;
            }
            off = Wire.align8((int) (off + 8 + len));
        }
        return false;
    }
}
