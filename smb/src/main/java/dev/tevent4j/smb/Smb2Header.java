package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;

/** The 64-byte SMB2 header (MS-SMB2 2.2.1): field offsets, commands, flags, reading and writing. */
final class Smb2Header {
    private Smb2Header() {}

    static final int SIZE = 64;
    static final int PROTOCOL_ID = 0x424D53FE; // 0xFE 'S' 'M' 'B', read little-endian

    static final int OFF_STRUCTURE_SIZE = 4, OFF_CREDIT_CHARGE = 6, OFF_STATUS = 8, OFF_COMMAND = 12, OFF_CREDITS = 14,
            OFF_FLAGS = 16, OFF_NEXT_COMMAND = 20, OFF_MESSAGE_ID = 24, OFF_ASYNC_ID = 32, OFF_TREE_ID = 36,
            OFF_SESSION_ID = 40, OFF_SIGNATURE = 48;

    static final int NEGOTIATE = 0, SESSION_SETUP = 1, LOGOFF = 2, TREE_CONNECT = 3, TREE_DISCONNECT = 4, CREATE = 5,
            CLOSE = 6, FLUSH = 7, READ = 8, WRITE = 9, LOCK = 10, IOCTL = 11, CANCEL = 12, ECHO = 13,
            QUERY_DIRECTORY = 14, CHANGE_NOTIFY = 15, QUERY_INFO = 16, SET_INFO = 17, OPLOCK_BREAK = 18;

    static final int FLAG_SERVER_TO_REDIR = 0x1, FLAG_ASYNC = 0x2, FLAG_RELATED = 0x4, FLAG_SIGNED = 0x8;

    static int command(MemorySegment m) {
        return Wire.u16(m, OFF_COMMAND);
    }

    static int flags(MemorySegment m) {
        return Wire.i32(m, OFF_FLAGS);
    }

    static long nextCommand(MemorySegment m) {
        return Wire.u32(m, OFF_NEXT_COMMAND);
    }

    static long messageId(MemorySegment m) {
        return Wire.u64(m, OFF_MESSAGE_ID);
    }

    static int treeId(MemorySegment m) {
        return Wire.i32(m, OFF_TREE_ID);
    }

    static long sessionId(MemorySegment m) {
        return Wire.u64(m, OFF_SESSION_ID);
    }

    static int creditCharge(MemorySegment m) {
        return Wire.u16(m, OFF_CREDIT_CHARGE);
    }

    static int creditRequest(MemorySegment m) {
        return Wire.u16(m, OFF_CREDITS);
    }

    /** Whether the 64 bytes at the start of {@code m} look like an SMB2 sync header. */
    static boolean isValid(MemorySegment m) {
        return m.byteSize() >= SIZE && Wire.i32(m, 0) == PROTOCOL_ID && Wire.u16(m, OFF_STRUCTURE_SIZE) == SIZE;
    }

    /** Writes a sync response header for {@code request} into {@code out}. */
    static void writeResponse(MemorySegment out, MemorySegment request, int status, int credits, boolean related) {
        Wire.put32(out, 0, PROTOCOL_ID);
        Wire.put16(out, OFF_STRUCTURE_SIZE, SIZE);
        Wire.put16(out, OFF_CREDIT_CHARGE, creditCharge(request));
        Wire.put32(out, OFF_STATUS, status);
        Wire.put16(out, OFF_COMMAND, command(request));
        Wire.put16(out, OFF_CREDITS, credits);
        Wire.put32(out, OFF_FLAGS, FLAG_SERVER_TO_REDIR | (related ? FLAG_RELATED : 0));
        Wire.put32(out, OFF_NEXT_COMMAND, 0);
        Wire.put64(out, OFF_MESSAGE_ID, messageId(request));
        Wire.put32(out, OFF_ASYNC_ID, 0);
        Wire.put32(out, OFF_TREE_ID, treeId(request));
        Wire.put64(out, OFF_SESSION_ID, sessionId(request));
        Wire.zero(out, OFF_SIGNATURE, 16);
    }
}
