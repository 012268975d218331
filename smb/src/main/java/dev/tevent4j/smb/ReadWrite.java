package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.MemorySegment;

/**
 * READ, WRITE and FLUSH (MS-SMB2 3.3.5.12, 3.3.5.13, 3.3.5.11). A READ's data goes straight
 * into the response buffer behind its header (one SENDMSG sends both), except in splice mode,
 * where a READ that is a frame of its own and is not signed leaves its data in the file: the
 * header goes out, then SPLICE moves the bytes file to pipe to socket. Lengths are checked
 * against MaxReadSize/MaxWriteSize and against the CreditCharge (64 KiB a credit).
 */
final class ReadWrite {
    private ReadWrite() {}

    static final int DATA_OFFSET = Smb2Header.SIZE + 16;

    /** The largest READ or WRITE the dialect allows. */
    static int maxIo(SmbConnection c) {
        return c.dialect == Negotiate.SMB202 ? 65536 : SmbOptions.MAX_IO;
    }

    /** Whether {@code length} bytes fit the request's CreditCharge (2.1 and later: 64 KiB per credit). */
    static boolean paidFor(SmbConnection c, Exchange x, long length) {
        if (c.dialect == Negotiate.SMB202) return length <= 65536;
        long charge = Math.max(1, Smb2Header.creditCharge(x.request));
        return length <= charge * 65536;
    }

    static int read(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 49 || x.bodySize() < 48) return Status.INVALID_PARAMETER;
        long length = Wire.u32(r, 68), offset = Wire.u64(r, 72), minimum = Wire.u32(r, 96);
        Open o = c.open(x, 80);
        if (o == null) return Status.FILE_CLOSED;
        if (o.directory) return Status.INVALID_DEVICE_REQUEST;
        if (length > maxIo(c) || !paidFor(c, x, length) || offset < 0) return Status.INVALID_PARAMETER;
        if (c.server.options.mode == ReadMode.splice && length > 0 && c.alone(x) && !c.willSign(x)) {
            spliced(c, x, o, offset, (int) length, minimum);
            return Status.PENDING;
        }
        MemorySegment body = c.body(16 + length);
        MemorySegment data = body.asSlice(16, length);
        c.track(c.io.read(o.fd, data, offset), q -> {
            int e = CreateClose.errno(q);
            if (e != 0) {
                c.complete(Status.ofErrno(e));
                return;
            }
            int n = q.result();
            if (n == 0 && length > 0 || n < minimum) {
                c.complete(Status.END_OF_FILE);
                return;
            }
            header(body, n);
            x.bodyLength = 16 + n;
            c.complete(Status.SUCCESS);
        });
        return Status.PENDING;
    }

    /** splice mode: the file's size bounds the DataLength the header promises; the bytes follow by SPLICE. */
    private static void spliced(SmbConnection c, Exchange x, Open o, long offset, int length, long minimum) {
        MemorySegment stx = c.statxBuffer();
        c.track(c.io.statx(o.fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_SIZE, stx), q -> {
            int e = CreateClose.errno(q);
            if (e != 0) {
                c.complete(Status.ofErrno(e));
                return;
            }
            long size = FileInfo.of(stx).size();
            long n = Math.min(length, size - offset);
            if (n <= 0 || n < minimum) {
                c.complete(Status.END_OF_FILE);
                return;
            }
            header(c.body(16), (int) n);
            x.bodyLength = 16;
            c.spliceTail = new SmbConnection.Splice(o.fd, offset, (int) n);
            c.complete(Status.SUCCESS);
        });
    }

    private static void header(MemorySegment body, int dataLength) {
        Wire.put16(body, 0, 17);
        Wire.put8(body, 2, DATA_OFFSET);
        Wire.put8(body, 3, 0);
        Wire.put32(body, 4, dataLength);
        Wire.put32(body, 8, 0);
        Wire.put32(body, 12, 0);
    }

    static int write(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 49 || x.bodySize() < 48) return Status.INVALID_PARAMETER;
        if (!x.tree.writable()) return Status.ACCESS_DENIED;
        long length = Wire.u32(r, 68), offset = Wire.u64(r, 72);
        Open o = c.open(x, 80);
        if (o == null) return Status.FILE_CLOSED;
        if (o.directory) return Status.INVALID_DEVICE_REQUEST;
        if (!o.canWrite) return Status.ACCESS_DENIED;
        if (length > maxIo(c) || !paidFor(c, x, length) || offset < 0) return Status.INVALID_PARAMETER;
        MemorySegment data = x.buffer(Wire.u16(r, 66), length);
        if (data == null) return Status.INVALID_PARAMETER;
        if (length == 0) return written(c, x, 0);
        writeAll(c, x, o, data, offset, 0);
        return Status.PENDING;
    }

    private static void writeAll(SmbConnection c, Exchange x, Open o, MemorySegment data, long offset, int done) {
        c.track(c.io.write(o.fd, data.asSlice(done), offset + done), q -> {
            int e = CreateClose.errno(q);
            if (e != 0) {
                c.complete(Status.ofErrno(e));
                return;
            }
            int total = done + q.result();
            if (q.result() > 0 && total < data.byteSize()) writeAll(c, x, o, data, offset, total);
            else c.complete(written(c, x, total));
        });
    }

    private static int written(SmbConnection c, Exchange x, int count) {
        MemorySegment b = c.body(16);
        Wire.zero(b, 0, 16);
        Wire.put16(b, 0, 17);
        Wire.put32(b, 4, count);
        x.bodyLength = 16;
        return Status.SUCCESS;
    }

    static int flush(SmbConnection c, Exchange x) {
        if (x.structureSize() != 24 || x.bodySize() < 24) return Status.INVALID_PARAMETER;
        if (!x.tree.writable()) return Status.ACCESS_DENIED;
        Open o = c.open(x, 72);
        if (o == null) return Status.FILE_CLOSED;
        if (!o.canWrite) return Status.ACCESS_DENIED;
        c.track(c.io.fsync(o.fd), q -> {
            int e = CreateClose.errno(q);
            c.complete(e != 0 ? Status.ofErrno(e) : Dispatch.fixedBody(c, x, 4));
        });
        return Status.PENDING;
    }
}
