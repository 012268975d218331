package dev.tevent4j.smb;


import java.lang.foreign.MemorySegment;

/**
 * READ, WRITE and FLUSH (MS-SMB2 3.3.5.12, 3.3.5.13, 3.3.5.11). A READ that is a frame of its
 * own runs in {@link ParallelReads}; one inside a compound reads here, straight into the
 * response buffer behind its header (one SENDMSG sends the compound). Lengths are checked
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

    /** A READ request's fields, checked; {@code status} is SUCCESS or the error to answer with. */
    record ReadArgs(int status, Open open, int length, long offset, long minimum) {
        static ReadArgs refused(int status) {
            return new ReadArgs(status, null, 0, 0, 0);
        }
    }

    static ReadArgs readArgs(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 49 || x.bodySize() < 48) return ReadArgs.refused(Status.INVALID_PARAMETER);
        long length = Wire.u32(r, 68), offset = Wire.u64(r, 72), minimum = Wire.u32(r, 96);
        Open o = c.open(x, 80);
        if (o == null) return ReadArgs.refused(Status.FILE_CLOSED);
        if (o.directory) return ReadArgs.refused(Status.INVALID_DEVICE_REQUEST);
        if (length > maxIo(c) || !paidFor(c, x, length) || offset < 0) return ReadArgs.refused(Status.INVALID_PARAMETER);
        return new ReadArgs(Status.SUCCESS, o, (int) length, offset, minimum);
    }

    static int read(SmbConnection c, Exchange x) {
        ReadArgs a = readArgs(c, x);
        if (a.status() != Status.SUCCESS) return a.status();
        Open o = a.open();
        long length = a.length(), offset = a.offset(), minimum = a.minimum();
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
