package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * IOCTL (MS-SMB2 3.3.5.15): FSCTL_VALIDATE_NEGOTIATE_INFO only (3.0 and 3.0.2 clients send it to
 * detect a downgraded NEGOTIATE; a mismatch drops the connection). DFS referrals are answered
 * STATUS_FS_DRIVER_REQUIRED (no DFS), everything else STATUS_NOT_SUPPORTED.
 */
final class Ioctl {
    private Ioctl() {}

    static final int FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204, FSCTL_DFS_GET_REFERRALS = 0x00060194,
            FSCTL_DFS_GET_REFERRALS_EX = 0x000601B0;

    static int handle(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 57 || x.bodySize() < 56) return Status.INVALID_PARAMETER;
        int code = Wire.i32(r, 68);
        if (code == FSCTL_DFS_GET_REFERRALS || code == FSCTL_DFS_GET_REFERRALS_EX) return Status.FS_DRIVER_REQUIRED;
        if (code != FSCTL_VALIDATE_NEGOTIATE_INFO) return Status.NOT_SUPPORTED;
        MemorySegment in = x.buffer(Wire.u32(r, 88), Wire.u32(r, 92));
        if (in == null || in.byteSize() < 24) return Status.INVALID_PARAMETER;
        int count = Wire.u16(in, 22);
        if (in.byteSize() < 24 + 2L * count) return Status.INVALID_PARAMETER;
        int[] dialects = new int[count];
        for (int i = 0; i < count; i++) dialects[i] = Wire.u16(in, 24 + 2L * i);
        boolean same = Wire.i32(in, 0) == c.clientCapabilities && Arrays.equals(Wire.bytes(in, 4, 16), c.clientGuid)
                && Wire.u16(in, 20) == c.clientSecurityMode && Arrays.equals(dialects, c.clientDialects);
        if (!same) {
            c.close(); // MS-SMB2 3.3.5.15.12: the negotiate was tampered with
            return Status.PENDING;
        }
        MemorySegment b = c.body(48 + 24);
        Wire.zero(b, 0, 48);
        Wire.put16(b, 0, 49);
        Wire.put32(b, 4, code);
        MemorySegment.copy(r, 72, b, 8, 16);      // FileId as sent
        Wire.put32(b, 24, Smb2Header.SIZE + 48);  // InputOffset, no input
        Wire.put32(b, 32, Smb2Header.SIZE + 48);  // OutputOffset
        Wire.put32(b, 36, 24);                    // OutputCount
        Wire.put32(b, 48, Negotiate.serverCapabilities(c.dialect));
        Wire.putBytes(b, 52, c.server.serverGuid);
        Wire.put16(b, 68, Negotiate.SECURITY_SIGNING_ENABLED);
        Wire.put16(b, 70, c.dialect);
        x.bodyLength = 48 + 24;
        return Status.SUCCESS;
    }
}
