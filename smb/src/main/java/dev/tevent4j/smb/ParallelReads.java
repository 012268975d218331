package dev.tevent4j.smb;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * READs that are frames of their own run side by side (clients pipeline large reads: smbclient
 * keeps several in flight, smbj's multi-credit reads too): up to {@link #MAX_JOBS} and
 * {@link #MAX_BYTES} at once per connection, each with its own buffer (NetBIOS header, SMB2
 * header, READ body, data), answered in completion order through the connection's send queue.
 * Every other frame waits until no READ is in flight, so a CLOSE or LOGOFF never closes an fd
 * a READ still uses and responses of other commands keep their order. The request is checked
 * (credits, session, signature, tree, handle) while its bytes are in the receive buffer; the
 * job keeps a copy of its header for the response.
 */
final class ParallelReads {
    static final int MAX_JOBS = 8;
    static final long MAX_BYTES = 16L << 20;
    private static final int HEAD = 4 + Smb2Header.SIZE + 16; // NetBIOS length, SMB2 header, READ response body

    private final SmbConnection c;
    private int jobs;
    private long bytes;
    private final ArrayDeque<Buffer> free = new ArrayDeque<>();
    private final List<Buffer> live = new ArrayList<>();

    /** A job's memory: its own arena, so a buffer dropped from the pool is freed at once. */
    private record Buffer(Arena arena, MemorySegment seg, MemorySegment requestHeader) {}

    ParallelReads(SmbConnection c) {
        this.c = c;
    }

    /** Whether {@code frame} (one NetBIOS payload) is a lone READ: no compound, not related. */
    static boolean isLoneRead(MemorySegment frame) {
        return Smb2Header.isValid(frame) && Smb2Header.command(frame) == Smb2Header.READ && Smb2Header.nextCommand(frame) == 0
                && (Smb2Header.flags(frame) & (Smb2Header.FLAG_RELATED | Smb2Header.FLAG_SERVER_TO_REDIR)) == 0
                && frame.byteSize() >= Smb2Header.SIZE + 8;
    }

    /** Whether a READ of {@code length} may start now (one always may when none runs). */
    boolean hasRoom(long length) {
        return jobs == 0 || jobs < MAX_JOBS && bytes + length <= MAX_BYTES;
    }

    boolean idle() {
        return jobs == 0;
    }

    /** The READ's length field, for {@link #hasRoom}. */
    static long length(MemorySegment frame) {
        return Wire.u32(frame, Smb2Header.SIZE + 4);
    }

    /** Starts the READ in {@code frame}, whose bytes the caller drops from the receive buffer when this returns. */
    void start(MemorySegment frame) {
        int charge = c.dialect > Negotiate.SMB202 ? Math.max(1, Smb2Header.creditCharge(frame)) : 1;
        if (!c.credits.consume(Smb2Header.messageId(frame), charge)) {
            c.close();
            return;
        }
        Exchange x = new Exchange();
        x.reset(frame);
        x.sessionId = Smb2Header.sessionId(frame);
        x.treeId = Smb2Header.treeId(frame);
        int status = Admission.admit(c, x);
        if (status == Status.PENDING) return; // the connection is being dropped
        ReadWrite.ReadArgs a = status == Status.SUCCESS ? ReadWrite.readArgs(c, x) : ReadWrite.ReadArgs.refused(status);
        Buffer buf = take(HEAD + (a.status() == Status.SUCCESS ? a.length() : 0));
        MemorySegment.copy(frame, 0, buf.requestHeader(), 0, Smb2Header.SIZE);
        Signing signing = c.willSign(x) ? x.session.signing : null;
        jobs++;
        bytes += a.length();
        if (a.status() != Status.SUCCESS) {
            respond(buf, a, signing, a.status(), 0, null);
            return;
        }
        Open o = a.open();
        if (c.server.options.mode == ReadMode.splice && a.length() > 0 && signing == null) {
            c.track(c.io.statx(o.fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_SIZE, statxFor(buf)), q -> {
                if (q.isError()) {
                    respond(buf, a, null, Status.ofErrno(CreateClose.errno(q)), 0, null);
                    return;
                }
                long n = Math.min(a.length(), FileInfo.of(statxFor(buf)).size() - a.offset());
                if (n <= 0 || n < a.minimum()) respond(buf, a, null, Status.END_OF_FILE, 0, null);
                else respond(buf, a, null, Status.SUCCESS, (int) n, new SmbConnection.Splice(o.fd, a.offset(), (int) n));
            }, q -> release(buf, a.length()));
            return;
        }
        c.track(c.io.read(o.fd, buf.seg().asSlice(HEAD, a.length()), a.offset()), q -> {
            int e = CreateClose.errno(q);
            if (e != 0) {
                respond(buf, a, signing, Status.ofErrno(e), 0, null);
                return;
            }
            int n = q.result();
            if (n == 0 && a.length() > 0 || n < a.minimum()) respond(buf, a, signing, Status.END_OF_FILE, 0, null);
            else respond(buf, a, signing, Status.SUCCESS, n, null);
        }, q -> release(buf, a.length()));
    }

    /** The statx buffer of a job: behind its request header copy. */
    private static MemorySegment statxFor(Buffer buf) {
        return buf.requestHeader().asSlice(Smb2Header.SIZE, Libc.STATX_SIZE_BYTES);
    }

    private void respond(Buffer buf, ReadWrite.ReadArgs a, Signing signing, int status, int dataLength, SmbConnection.Splice tail) {
        MemorySegment seg = buf.seg(), resp = seg.asSlice(4);
        Smb2Header.writeResponse(resp, buf.requestHeader(), status, c.credits.grant(Smb2Header.creditRequest(buf.requestHeader())), false);
        int body;
        if (status == Status.SUCCESS) {
            MemorySegment b = resp.asSlice(Smb2Header.SIZE);
            Wire.put16(b, 0, 17);
            Wire.put8(b, 2, ReadWrite.DATA_OFFSET);
            Wire.put8(b, 3, 0);
            Wire.put32(b, 4, dataLength);
            Wire.put32(b, 8, 0);
            Wire.put32(b, 12, 0);
            body = 16 + (tail == null ? dataLength : 0);
        } else {
            Wire.zero(resp, Smb2Header.SIZE, 9);
            Wire.put16(resp, Smb2Header.SIZE, 9);
            body = 9;
        }
        int message = Smb2Header.SIZE + body;
        if (signing != null) signing.sign(resp.asSlice(0, message));
        int total = message + (tail == null ? 0 : tail.length());
        Wire.put8(seg, 0, 0);
        Wire.put8(seg, 1, total >>> 16);
        Wire.put8(seg, 2, total >>> 8);
        Wire.put8(seg, 3, total);
        c.transmit.send(seg.asSlice(0, 4 + message), tail, () -> {
            release(buf, a.length());
            c.readDone();
        });
    }

    private Buffer take(long size) {
        for (Buffer b : free) {
            if (b.seg().byteSize() >= size) {
                free.remove(b);
                return b;
            }
        }
        long cap = Math.max(1 << 17, Long.highestOneBit(size - 1) << 1);
        Arena arena = Arena.ofShared(); // the thread pool's workers read and write it
        Buffer b = new Buffer(arena, arena.allocate(cap, 4096), arena.allocate(Smb2Header.SIZE + Libc.STATX_SIZE_BYTES, 8));
        live.add(b);
        return b;
    }

    private void release(Buffer buf, long length) {
        jobs--;
        bytes -= length;
        if (free.size() < MAX_JOBS) {
            free.push(buf);
        } else {
            live.remove(buf);
            buf.arena().close();
        }
    }

    /** The connection is finished (nothing in flight): frees every buffer. */
    void close() {
        for (Buffer b : live) b.arena().close();
        live.clear();
        free.clear();
    }
}
