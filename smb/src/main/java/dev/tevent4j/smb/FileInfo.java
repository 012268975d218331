package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A file's attributes from a statx buffer, and the MS-FSCC structures built from them (FILETIMEs,
 * sizes, FILE_ATTRIBUTE_*). The creation time is statx's birth time when the filesystem has
 * one, else the change time.
 */
record FileInfo(long size, long allocation, long atime, long mtime, long ctime, long btime, boolean directory,
                boolean regular, long inode, int links) {
    static final int STATX_MASK = Libc.STATX_BASIC_STATS | 0x800; // | STATX_BTIME
    static final int ATTR_DIRECTORY = 0x10, ATTR_ARCHIVE = 0x20;
    private static final long ATIME = 64, BTIME = 80, CTIME = 96, MTIME = 112, BLOCKS = 48, NLINK = 16;

    static FileInfo of(MemorySegment stx) {
        int mode = stx.get(ValueLayout.JAVA_SHORT, Libc.STATX_MODE_OFFSET) & 0xffff;
        int type = mode & Libc.S_IFMT;
        int mask = stx.get(ValueLayout.JAVA_INT, 0);
        long ctime = time(stx, CTIME);
        return new FileInfo(stx.get(ValueLayout.JAVA_LONG, Libc.STATX_SIZE_OFFSET), stx.get(ValueLayout.JAVA_LONG, BLOCKS) * 512,
                time(stx, ATIME), time(stx, MTIME), ctime, (mask & 0x800) != 0 ? time(stx, BTIME) : ctime,
                type == Libc.S_IFDIR, type == Libc.S_IFREG, stx.get(ValueLayout.JAVA_LONG, Libc.STATX_INO_OFFSET),
                stx.get(ValueLayout.JAVA_INT, NLINK));
    }

    private static long time(MemorySegment stx, long off) {
        return Wire.fileTime(stx.get(ValueLayout.JAVA_LONG, off), stx.get(ValueLayout.JAVA_INT, off + 8));
    }

    int attributes() {
        return directory ? ATTR_DIRECTORY : ATTR_ARCHIVE;
    }

    /** EndOfFile as SMB reports it: 0 for a directory. */
    long endOfFile() {
        return directory ? 0 : size;
    }

    /** CreationTime, LastAccessTime, LastWriteTime, ChangeTime at {@code off} (32 bytes). */
    void putTimes(MemorySegment s, long off) {
        Wire.put64(s, off, btime);
        Wire.put64(s, off + 8, atime);
        Wire.put64(s, off + 16, mtime);
        Wire.put64(s, off + 24, ctime);
    }

    /** FILE_BASIC_INFORMATION: 40 bytes. */
    int putBasic(MemorySegment s, long off) {
        putTimes(s, off);
        Wire.put32(s, off + 32, attributes());
        Wire.put32(s, off + 36, 0);
        return 40;
    }

    /** FILE_STANDARD_INFORMATION: 24 bytes. */
    int putStandard(MemorySegment s, long off) {
        Wire.put64(s, off, allocation);
        Wire.put64(s, off + 8, endOfFile());
        Wire.put32(s, off + 16, links);
        Wire.put8(s, off + 20, 0);
        Wire.put8(s, off + 21, directory ? 1 : 0);
        Wire.put16(s, off + 22, 0);
        return 24;
    }

    /** FILE_NETWORK_OPEN_INFORMATION: 56 bytes. */
    int putNetworkOpen(MemorySegment s, long off) {
        putTimes(s, off);
        Wire.put64(s, off + 32, allocation);
        Wire.put64(s, off + 40, endOfFile());
        Wire.put32(s, off + 48, attributes());
        Wire.put32(s, off + 52, 0);
        return 56;
    }
}
