package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Little-endian field access on native frames (SMB2 is little-endian throughout). */
final class Wire {
    private Wire() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    static int u16(MemorySegment s, long off) {
        return s.get(U16, off) & 0xffff;
    }

    static int i32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    /** An unsigned 32-bit field as a long (lengths and offsets: never negative). */
    static long u32(MemorySegment s, long off) {
        return Integer.toUnsignedLong(s.get(U32, off));
    }

    static long u64(MemorySegment s, long off) {
        return s.get(U64, off);
    }

    static void put8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    static void put16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    static void put32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    static void put64(MemorySegment s, long off, long v) {
        s.set(U64, off, v);
    }

    static void putBytes(MemorySegment s, long off, byte[] b) {
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, off, b.length);
    }

    static byte[] bytes(MemorySegment s, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return b;
    }

    /** Writes {@code text} as UTF-16LE; returns the byte count. */
    static int putUtf16(MemorySegment s, long off, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_16LE);
        putBytes(s, off, b);
        return b.length;
    }

    static String utf16(MemorySegment s, long off, int len) {
        return new String(bytes(s, off, len), StandardCharsets.UTF_16LE);
    }

    static void zero(MemorySegment s, long off, long len) {
        s.asSlice(off, len).fill((byte) 0);
    }

    /** {@code n} rounded up to a multiple of 8 (compound responses and directory entries align so). */
    static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** Unix seconds + nanoseconds as a Windows FILETIME (100 ns since 1601). */
    static long fileTime(long seconds, int nanos) {
        return (seconds + 11_644_473_600L) * 10_000_000L + nanos / 100;
    }

    // Little-endian writes into byte arrays, for the NTLM and SPNEGO messages built on the heap.
    static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void le32(byte[] b, int off, int v) {
        le16(b, off, v);
        le16(b, off + 2, v >>> 16);
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static int le32(byte[] b, int off) {
        return le16(b, off) | le16(b, off + 2) << 16;
    }
}
