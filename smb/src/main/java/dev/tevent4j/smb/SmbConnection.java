package dev.tevent4j.smb;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client connection: NetBIOS framing (RFC 1002 session messages, a 4-byte length), the
 * per-connection SMB2 state (dialect, credits, sessions, trees, opens) and the dispatch of
 * each message of a frame, compound or not. Frames are handled one at a time: while one is in
 * progress the socket is not read (the back-pressure), and its responses go out together.
 * Everything runs on the server's loop thread; every async op is counted, and the memory and
 * fds are freed only once none is in flight.
 */
final class SmbConnection {
    static final int MAX_FRAME = SmbOptions.MAX_IO + (1 << 16);
    static final int MAX_COMPOUND = 64;
    static final int MAX_FRAME_UNAUTHENTICATED = 1 << 16;
    private static final int KEEPALIVE = 0x85;

    final SmbServer server;
    final int fd;
    final EventLoop loop;
    final AsyncIo io;
    private final Arena arena = Arena.ofShared();
    final Transmit transmit;
    private final StatxBuffers statxBuffers;
    private final ParallelReads reads = new ParallelReads(this);
    private boolean waitingForReads;
    private FdEvent event;
    private MemorySegment in;
    private int inLen;
    MemorySegment out;
    int outLen;
    private int inFlight;
    private boolean busy, closing, finished;
    boolean authenticated;          // a session was set up: frames up to MAX_FRAME from now on
    private TimerEvent frameTimer;
    private long frameDeadline;     // 0: no partial frame waits

    // negotiated state
    int dialect = -1;
    byte[] clientGuid = new byte[16];
    int clientSecurityMode, clientCapabilities;
    int[] clientDialects = new int[0];
    PreauthHash preauth;
    final Credits credits = new Credits();
    final Map<Long, Session> sessions = new HashMap<>();
    long nextSessionId = 1;
    final Map<Integer, Tree> trees = new HashMap<>();
    int nextTreeId = 1;
    final Map<Long, Open> opens = new HashMap<>();
    long nextOpenId = 1;

    // the frame in progress
    private int frameEnd, msgStart;
    private final Exchange x = new Exchange();
    private final int[] respStart = new int[MAX_COMPOUND];
    private final Signing[] respSigning = new Signing[MAX_COMPOUND];
    private int respCount;
    private long chainFileId = -1, chainSessionId;
    private int chainTreeId, chainStatus;

    /** The file bytes of a READ response that go from the file to the socket by splice. */
    record Splice(int fileFd, long offset, int length) {}

    SmbConnection(SmbServer server, int fd) {
        this.server = server;
        this.fd = fd;
        this.loop = server.loop;
        this.io = server.io;
        in = arena.allocate(1 << 17, 8);
        out = arena.allocate(1 << 17, 8);
        transmit = new Transmit(this);
        statxBuffers = new StatxBuffers(arena);
    }

    void start() {
        event = loop.addFd(fd, FdEvent.READ, (e, flags) -> onFd(flags));
    }

    private void onFd(int flags) {
        if (closing) return;
        try {
            if ((flags & FdEvent.WRITE) != 0) transmit.writable();
            if ((flags & (FdEvent.READ | FdEvent.ERROR)) != 0 && !busy && !closing) readable();
        } catch (RuntimeException e) {
            System.err.println("smb-server: connection closed after an internal error: " + e);
            close();
        }
    }

    /** Sets the socket's event: READ unless a frame in progress (or waiting) holds the buffer, WRITE while a send waits for room. */
    void rewatch() {
        if (!closing) event.setFlags((busy ? 0 : FdEvent.READ) | (transmit.waitsForRoom() ? FdEvent.WRITE : 0));
    }

    private void readable() {
        if (inLen == in.byteSize()) grow(Math.min(MAX_FRAME + 4, (int) in.byteSize() * 2));
        long n = Libc.recv(fd, in.asSlice(inLen), in.byteSize() - inLen, Libc.MSG_DONTWAIT);
        if (n == -Errno.EAGAIN) return;
        if (n <= 0) { // end of stream or an error: the client is gone
            close();
            return;
        }
        inLen += (int) n;
        nextFrame();
    }

    /** Starts the next complete frame in the buffer, if any; else reads on. */
    private void nextFrame() {
        while (!closing) {
            if (inLen < 4) break;
            int type = Wire.u8(in, 0);
            int len = Wire.u8(in, 1) << 16 | Wire.u8(in, 2) << 8 | Wire.u8(in, 3);
            if (type == KEEPALIVE && len == 0) { // RFC 1002 session keepalive: nothing to answer
                MemorySegment.copy(in, 4, in, 0, inLen - 4);
                inLen -= 4;
                continue;
            }
            if (type != 0 || len > (authenticated ? MAX_FRAME : MAX_FRAME_UNAUTHENTICATED) || len < Smb2Header.SIZE) {
                close(); // not a session message, or one no SMB2 frame can be (before a session: no WRITE, so no large frame)
                return;
            }
            if (inLen < 4 + len) { // the buffer grows as bytes arrive, not as announced
                armFrameTimer();
                break;
            }
            frameDeadline = 0;
            MemorySegment payload = in.asSlice(4, len);
            boolean loneRead = dialect >= 0 && ParallelReads.isLoneRead(payload);
            if (loneRead ? !reads.hasRoom(ParallelReads.length(payload)) : !reads.idle()) {
                waitingForReads = true; // the buffer keeps the frame; the last READ to finish (or the next) takes it up
                busy = true;
                rewatch();
                return;
            }
            if (loneRead) {
                reads.start(payload);
                if (closing) return;
                consume(4 + len);
                continue;
            }
            frameEnd = 4 + len;
            startFrame();
            return;
        }
        busy = false;
        rewatch();
    }

    /** A frame has begun: it must be complete within the frame timeout, or the connection goes (slow senders hold memory). */
    private void armFrameTimer() {
        if (frameDeadline != 0) return;
        frameDeadline = System.nanoTime() + server.options.frameTimeout.toNanos();
        if (frameTimer == null) frameTimer = loop.addTimerAt(frameDeadline, (t, now) -> frameTimerFired());
        else if (!frameTimer.isActive()) frameTimer.update(frameDeadline);
    }

    private void frameTimerFired() {
        if (closing || frameDeadline == 0) return;
        if (System.nanoTime() - frameDeadline >= 0) close();
        else frameTimer.update(frameDeadline);
    }

    private void grow(int size) {
        if (size <= in.byteSize()) return;
        MemorySegment bigger = arena.allocate(size, 8);
        MemorySegment.copy(in, 0, bigger, 0, inLen);
        in = bigger;
    }

    private void startFrame() {
        busy = true;
        rewatch();
        msgStart = 4;
        outLen = 4;
        respCount = 0;
        chainFileId = -1;
        chainStatus = Status.SUCCESS;
        nextMessage();
    }

    private void nextMessage() {
        int avail = frameEnd - msgStart;
        MemorySegment rest = in.asSlice(msgStart, avail);
        if (!Smb2Header.isValid(rest) || (Smb2Header.flags(rest) & Smb2Header.FLAG_SERVER_TO_REDIR) != 0) {
            close(); // not SMB2 (SMB1's 0xFF 'SMB' too), or a response: nothing sensible to answer
            return;
        }
        long next = Smb2Header.nextCommand(rest);
        if (next != 0 && (next < Smb2Header.SIZE || next > avail || next % 8 != 0) || respCount == MAX_COMPOUND) {
            close();
            return;
        }
        x.reset(rest.asSlice(0, next == 0 ? avail : next));
        if (x.command == Smb2Header.CANCEL) { // answered by nothing: every request here completes in turn
            messageSkipped(next);
            return;
        }
        int charge = dialect > Negotiate.SMB202 ? Math.max(1, Smb2Header.creditCharge(x.request)) : 1;
        if (!credits.consume(Smb2Header.messageId(x.request), charge)) {
            close(); // a message id outside the granted window or used twice (MS-SMB2 3.3.5.2.3)
            return;
        }
        x.related = (Smb2Header.flags(x.request) & Smb2Header.FLAG_RELATED) != 0;
        x.sessionId = x.related && respCount > 0 ? chainSessionId : Smb2Header.sessionId(x.request);
        x.treeId = x.related && respCount > 0 ? chainTreeId : Smb2Header.treeId(x.request);
        int status;
        if (x.related && respCount == 0) status = Status.INVALID_PARAMETER;
        else if (x.related && chainStatus != Status.SUCCESS) status = chainStatus;
        else status = Admission.admit(this, x);
        if (status == Status.SUCCESS) {
            try {
                status = Dispatch.handle(this, x);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                status = Status.INVALID_PARAMETER;
            }
        }
        if (status != Status.PENDING) complete(status);
    }

    int dropNow() {
        close();
        return Status.PENDING;
    }

    /** Answers the message in progress with {@code status} (and the body the handler wrote), then goes on with the frame. */
    void complete(int status) {
        if (closing) return;
        int at = outLen;
        ensureOut(Smb2Header.SIZE + Math.max(16, x.bodyLength));
        MemorySegment resp = out.asSlice(at);
        int credit = credits.grant(Smb2Header.creditRequest(x.request));
        Smb2Header.writeResponse(resp, x.request, status, credit, x.related);
        Wire.put64(resp, Smb2Header.OFF_SESSION_ID, x.responseSessionId != 0 ? x.responseSessionId : x.sessionId);
        Wire.put32(resp, Smb2Header.OFF_TREE_ID, x.treeId);
        int bodyLen;
        if (Status.hasNormalBody(status, x.command)) {
            bodyLen = x.bodyLength;
        } else {
            Wire.zero(resp, Smb2Header.SIZE, 9); // the error response: StructureSize 9, no error data
            Wire.put16(resp, Smb2Header.SIZE, 9);
            bodyLen = 9;
        }
        outLen = at + Smb2Header.SIZE + bodyLen;
        if (x.afterResponse != null) x.afterResponse.accept(out.asSlice(at, outLen - at));
        Session signer = x.signWith != null ? x.signWith : x.session;
        boolean sign = signer != null && signer.signing != null && (signer.signingRequired || x.signed || x.signWith != null);
        respStart[respCount] = at;
        respSigning[respCount] = sign ? signer.signing : null;
        respCount++;
        chainStatus = status;
        chainSessionId = x.responseSessionId != 0 ? x.responseSessionId : x.sessionId;
        chainTreeId = x.treeId;
        if (x.createdFileId >= 0) chainFileId = x.createdFileId;
        long next = Smb2Header.nextCommand(x.request);
        if (next == 0) {
            finishFrame();
            return;
        }
        int padded = Wire.align8(outLen - at);
        ensureOut(padded - (outLen - at));
        Wire.zero(out, outLen, padded - (outLen - at));
        outLen = at + padded;
        Wire.put32(out, at + Smb2Header.OFF_NEXT_COMMAND, padded);
        msgStart += (int) next;
        nextMessage();
    }

    private void messageSkipped(long next) {
        if (next == 0) {
            if (respCount == 0) frameDone();
            else finishFrame();
            return;
        }
        msgStart += (int) next;
        nextMessage();
    }

    /** Signs the responses and sends the frame. */
    private void finishFrame() {
        int total = outLen - 4;
        Wire.put8(out, 0, 0);
        Wire.put8(out, 1, total >>> 16);
        Wire.put8(out, 2, total >>> 8);
        Wire.put8(out, 3, total);
        for (int i = 0; i < respCount; i++) {
            if (respSigning[i] == null) continue;
            int end = i + 1 < respCount ? respStart[i + 1] : outLen;
            respSigning[i].sign(out.asSlice(respStart[i], end - respStart[i]));
        }
        transmit.send(out.asSlice(0, outLen), null, this::frameDone);
    }

    /** The frame's responses are out: drop it from the buffer and take the next. */
    private void frameDone() {
        consume(frameEnd);
        frameEnd = 0;
        nextFrame();
    }

    /** Drops the first {@code n} bytes of the receive buffer. */
    private void consume(int n) {
        int rest = inLen - n;
        if (rest > 0) MemorySegment.copy(in, n, in, 0, rest);
        inLen = rest;
    }

    /** A parallel READ's response is out: a frame waiting for one may go now. */
    void readDone() {
        if (!waitingForReads || closing) return;
        waitingForReads = false;
        nextFrame();
    }

    /** Makes room for {@code more} bytes after {@link #outLen}, keeping what was written. */
    void ensureOut(long more) {
        long need = outLen + more;
        if (need <= out.byteSize()) return;
        MemorySegment bigger = arena.allocate(Math.max(need, out.byteSize() * 2), 8);
        MemorySegment.copy(out, 0, bigger, 0, out.byteSize()); // a body being written may lie past outLen
        out = bigger;
    }

    /** The response body of the message in progress: writable up to {@code capacity} bytes. */
    MemorySegment body(long capacity) {
        ensureOut(Smb2Header.SIZE + capacity + 8);
        return out.asSlice(outLen + Smb2Header.SIZE, capacity);
    }

    /** The FileId at {@code offset} of the request: the chain's for all ones in a related request. */
    Open open(Exchange x, long offset) {
        long persistent = Wire.u64(x.request, offset), volatileId = Wire.u64(x.request, offset + 8);
        if (persistent == -1 && volatileId == -1 && x.related) volatileId = chainFileId;
        Open o = opens.get(volatileId);
        if (o == null || o.treeId != x.treeId || o.sessionId != x.sessionId) return null;
        if (x.related) chainFileId = volatileId;
        return o;
    }

    /**
     * Runs {@code then} with the completed request, counted in flight: once the connection is
     * closing, {@code abandon} gets it instead (e.g. to close an fd an open returned).
     */
    <T> void track(Request<T> r, Consumer<Request<T>> then, Consumer<Request<T>> abandon) {
        inFlight++;
        r.onComplete(q -> {
            inFlight--;
            if (closing) {
                if (abandon != null && !q.isError()) abandon.accept(q);
                maybeFinish();
                return;
            }
            try {
                then.accept(q);
            } catch (RuntimeException e) {
                System.err.println("smb-server: connection closed after an internal error: " + e);
                close();
            }
        });
    }

    <T> void track(Request<T> r, Consumer<Request<T>> then) {
        track(r, then, null);
    }

    /** The connection's statx buffer: one op at a time uses it (directory listings have their own). */
    MemorySegment statxBuffer() {
        return statxBuffers.one();
    }

    /** {@code count} statx buffers for a directory listing's batch. */
    MemorySegment statxBatch(int count) {
        return statxBuffers.batch(count);
    }

    /** Whether the response to the message in progress will be signed (so its bytes must pass through memory). */
    boolean willSign(Exchange x) {
        Session s = x.session;
        return s != null && s.signing != null && (s.signingRequired || x.signed);
    }

    boolean isClosing() {
        return closing;
    }

    /** Closes the connection: at once if nothing is in flight, else when the last op completes. Idempotent. */
    void close() {
        if (closing) return;
        closing = true;
        if (event != null) event.close(); // not auto-close: the fd is closed in finish, after the ops
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || inFlight > 0) return;
        finished = true;
        for (Open o : opens.values()) Libc.close(o.fd);
        opens.clear();
        transmit.close();
        reads.close();
        if (frameTimer != null) frameTimer.cancel();
        Libc.close(fd);
        arena.close();
        server.removed(this);
    }

    /** After the loop closed (nothing can be in flight any more): frees what is left. */
    void forceFinish() {
        closing = true;
        inFlight = 0;
        maybeFinish();
    }
}
