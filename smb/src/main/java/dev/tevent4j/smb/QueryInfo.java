package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileStore;
import java.nio.file.Files;

/**
 * QUERY_INFO (MS-SMB2 3.3.5.20) for the file classes smbclient and smbj ask for (basic,
 * standard, internal, EA, access, position, mode, alignment, all, name, stream, network open,
 * attribute tag) and the filesystem classes (volume, size, device, attribute, full size, object
 * id, sector size); SET_INFO accepts FileBasicInformation on a writable share (times are not
 * changed) and refuses the rest.
 */
final class QueryInfo {
    private QueryInfo() {}

    static final int INFO_FILE = 1, INFO_FILESYSTEM = 2;
    private static final int MAX_OUTPUT = 1 << 16;
    private static final long BLOCK = 4096;

    static int handle(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 41 || x.bodySize() < 40) return Status.INVALID_PARAMETER;
        int type = Wire.u8(r, 66), cls = Wire.u8(r, 67);
        long outputLength = Wire.u32(r, 68);
        Open o = c.open(x, 88);
        if (o == null) return Status.FILE_CLOSED;
        if (type == INFO_FILESYSTEM) return answer(c, x, cls, outputLength, null, o);
        if (type != INFO_FILE) return Status.NOT_SUPPORTED; // security descriptors and quotas are not offered
        MemorySegment stx = c.statxBuffer();
        c.track(c.io.statx(o.fd, "", Libc.AT_EMPTY_PATH, FileInfo.STATX_MASK, stx), q -> {
            int e = CreateClose.errno(q);
            c.complete(e != 0 ? Status.ofErrno(e) : answer(c, x, cls, outputLength, FileInfo.of(stx), o));
        });
        return Status.PENDING;
    }

    /** Encodes the class into the response; a buffer too small gets BUFFER_OVERFLOW (variable size) or INFO_LENGTH_MISMATCH. */
    private static int answer(SmbConnection c, Exchange x, int cls, long outputLength, FileInfo info, Open o) {
        MemorySegment b = c.body(8 + MAX_OUTPUT + 1024);
        MemorySegment data = b.asSlice(8);
        int n = info != null ? file(data, cls, info, o, x.tree.writable()) : filesystem(data, cls, c);
        if (n == -2) return Status.OBJECT_NAME_NOT_FOUND;
        if (n < 0) return Status.INVALID_INFO_CLASS;
        int status = Status.SUCCESS;
        if (n > outputLength) {
            boolean variable = cls == 18 || cls == 9 || cls == 22 || info == null && (cls == 1 || cls == 5);
            if (!variable) return Status.INFO_LENGTH_MISMATCH;
            n = (int) outputLength;
            status = Status.BUFFER_OVERFLOW;
        }
        Wire.put16(b, 0, 9);
        Wire.put16(b, 2, Smb2Header.SIZE + 8);
        Wire.put32(b, 4, n);
        x.bodyLength = 8 + n;
        return status;
    }

    private static int file(MemorySegment d, int cls, FileInfo f, Open o, boolean writable) {
        int access = o.canWrite ? TreeConnect.ALL_ACCESS : TreeConnect.READ_ACCESS;
        String name = "\\" + o.name();
        return switch (cls) {
            case 4 -> f.putBasic(d, 0);
            case 5 -> f.putStandard(d, 0);
            case 6 -> put64(d, f.inode());
            case 7, 16, 17 -> put32(d, 0);        // EA size, mode, alignment
            case 8 -> put32(d, access);
            case 14 -> put64(d, 0);               // position
            case 9 -> name(d, 0, name);
            case 18 -> {
                int at = f.putBasic(d, 0);
                at += f.putStandard(d, at);
                Wire.put64(d, at, f.inode());
                Wire.put32(d, at + 8, 0);          // EA size
                Wire.put32(d, at + 12, access);
                Wire.put64(d, at + 16, 0);         // position
                Wire.put32(d, at + 24, 0);         // mode
                Wire.put32(d, at + 28, 0);         // alignment
                yield at + 32 + name(d, at + 32, name);
            }
            case 22 -> {
                if (f.directory()) yield 0;
                Wire.put32(d, 0, 0);
                int len = Wire.putUtf16(d, 24, "::$DATA");
                Wire.put32(d, 4, len);
                Wire.put64(d, 8, f.size());
                Wire.put64(d, 16, f.allocation());
                yield 24 + len;
            }
            case 34 -> f.putNetworkOpen(d, 0);
            case 21 -> -2;                        // alternate (8.3) name: there are none
            case 35 -> {
                Wire.put32(d, 0, f.attributes());
                Wire.put32(d, 4, 0);
                yield 8;
            }
            default -> -1;
        };
    }

    private static int name(MemorySegment d, long at, String name) {
        int len = Wire.putUtf16(d, at + 4, name.length() > MAX_OUTPUT / 4 ? name.substring(0, MAX_OUTPUT / 4) : name);
        Wire.put32(d, at, len);
        return 4 + len;
    }

    private static int filesystem(MemorySegment d, int cls, SmbConnection c) {
        long[] space = space(c);
        long total = space[0] / BLOCK, free = space[1] / BLOCK;
        return switch (cls) {
            case 1 -> { // volume
                Wire.put64(d, 0, c.server.startFileTime);
                Wire.put32(d, 8, 0x7e4a0001);
                int len = Wire.putUtf16(d, 18, c.server.options.share);
                Wire.put32(d, 12, len);
                Wire.put16(d, 16, 0);
                yield 18 + len;
            }
            case 3 -> { // size
                Wire.put64(d, 0, total);
                Wire.put64(d, 8, free);
                Wire.put32(d, 16, (int) (BLOCK / 512));
                Wire.put32(d, 20, 512);
                yield 24;
            }
            case 4 -> { // device: FILE_DEVICE_DISK
                Wire.put32(d, 0, 7);
                Wire.put32(d, 4, 0);
                yield 8;
            }
            case 5 -> { // attribute: case-sensitive search, case-preserved, Unicode names
                Wire.put32(d, 0, 0x1 | 0x2 | 0x4);
                Wire.put32(d, 4, 255);
                int len = Wire.putUtf16(d, 12, "NTFS");
                Wire.put32(d, 8, len);
                yield 12 + len;
            }
            case 7 -> { // full size
                Wire.put64(d, 0, total);
                Wire.put64(d, 8, free);
                Wire.put64(d, 16, free);
                Wire.put32(d, 24, (int) (BLOCK / 512));
                Wire.put32(d, 28, 512);
                yield 32;
            }
            case 8 -> {
                Wire.zero(d, 0, 64);
                yield 64;
            }
            case 11 -> { // sector size
                for (int i = 0; i < 4; i++) Wire.put32(d, 4L * i, 512);
                Wire.zero(d, 16, 12);
                yield 28;
            }
            default -> -1;
        };
    }

    /** Total and usable bytes of the share's filesystem (statfs, on the loop thread: one cheap call). */
    private static long[] space(SmbConnection c) {
        try {
            FileStore store = Files.getFileStore(c.server.root);
            return new long[] {store.getTotalSpace(), store.getUsableSpace()};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    static int set(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 33 || x.bodySize() < 32) return Status.INVALID_PARAMETER;
        Open o = c.open(x, 80);
        if (o == null) return Status.FILE_CLOSED;
        if (!x.tree.writable()) return Status.ACCESS_DENIED;
        if (Wire.u8(r, 66) != INFO_FILE) return Status.NOT_SUPPORTED;
        int cls = Wire.u8(r, 67);
        MemorySegment in = x.buffer(Wire.u16(r, 72), Wire.u32(r, 68));
        if (in == null) return Status.INVALID_PARAMETER;
        if (cls == 13 || cls == 64) { // FileDispositionInformation(Ex): delete on close
            if (!o.mayDelete) return Status.ACCESS_DENIED;
            if (in.byteSize() < (cls == 13 ? 1 : 4)) return Status.INFO_LENGTH_MISMATCH;
            boolean delete = cls == 13 ? Wire.u8(in, 0) != 0 : (Wire.i32(in, 0) & 1) != 0;
            if (delete && o.directory && !isEmpty(o.fd)) return Status.DIRECTORY_NOT_EMPTY;
            o.deleteOnClose = delete;
        } else if (cls == 4) { // FileBasicInformation: accepted, times and attributes left as they are
            if (!o.canWrite && !o.mayDelete && !o.directory) return Status.ACCESS_DENIED;
        } else {
            return Status.NOT_SUPPORTED; // renames, end of file, allocation: not in this first cut
        }
        MemorySegment b = c.body(2);
        Wire.put16(b, 0, 2);
        x.bodyLength = 2;
        return Status.SUCCESS;
    }

    /** Whether the open directory has no entry (read from its own fd, as QUERY_DIRECTORY does). */
    private static boolean isEmpty(int dirFd) {
        try (var entries = Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/fd/" + dirFd))) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static int put32(MemorySegment d, int v) {
        Wire.put32(d, 0, v);
        return 4;
    }

    private static int put64(MemorySegment d, long v) {
        Wire.put64(d, 0, v);
        return 8;
    }
}
