package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static dev.tevent4j.samples.FileProtocol.*;

/**
 * {@code bin/tevent4j fileserve}: serves byte ranges of the files under a root directory with
 * the protocol of {@link FileProtocol} (docs/samples.md). One loop per thread with SO_REUSEPORT
 * sockets, as echo-server; each connection handles one request at a time (its READ event is
 * off while a reply is on the way, which is the back-pressure). The file-to-socket path is the
 * {@code --mode}: see {@link Mode}.
 */
@Command(name = "fileserve", mixinStandardHelpOptions = true,
        description = "Serves byte ranges of files under --root (protocol: docs/samples.md).")
public final class FileServe implements Callable<Integer>, AutoCloseable {
    /** How the bytes travel from the file to the socket. */
    public enum Mode {
        /** pread + send on worker threads, Samba's pthreadpool; the loop only parses and dispatches. */
        threadpool,
        /**
         * AsyncIo read + send through the io_uring ring, 1 MiB at a time, double-buffered: the
         * read of the next chunk overlaps the send of this one (needs an io_uring backend).
         */
        uring,
        /** AsyncIo splice file -> pipe -> socket: no copy to user space. */
        splice,
        /** AsyncIo read + sendZeroCopy: the socket send takes pages by reference. */
        zc
    }

    @Mixin
    final ServerOptions net = new ServerOptions(7778);
    @Option(names = "--root", required = true, description = "Directory whose files are served.")
    Path root;
    @Option(names = "--mode", description = "threadpool, uring, splice or zc (default: ${DEFAULT-VALUE}; docs/benchmarks.md says why).",
            defaultValue = "threadpool")
    Mode mode = Mode.threadpool;
    @Option(names = "--chunk", description = "Bytes per read/send (threadpool, uring, zc) (default: ${DEFAULT-VALUE}).",
            defaultValue = "1048576")
    int chunk = 1 << 20;
    @Option(names = "--frame-timeout", paramLabel = "TIME", converter = ServerOptions.Timeout.Converter.class,
            description = "Close when a request frame that has started is not complete within this; 0 = never (default: ${DEFAULT-VALUE}).")
    ServerOptions.Timeout frameTimeout = ServerOptions.Timeout.ofSeconds(20);
    @Option(names = "--send-timeout", paramLabel = "TIME", converter = ServerOptions.Timeout.Converter.class,
            description = "Close when the client has taken no byte of a reply for this long; 0 = never (default: ${DEFAULT-VALUE}).")
    ServerOptions.Timeout sendTimeout = ServerOptions.Timeout.ofSeconds(60);

    private LoopThreads group;
    private ExecutorService workers;
    private RootedFiles files;
    private int boundPort;
    private final LongAdder bytesServed = new LongAdder();

    /** The server process's CPU time so far, in ns (all threads: loops, workers, JIT, GC). */
    public static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** Starts serving with the fields set (by picocli or a test); returns the bound port. */
    public int start() throws Exception {
        BackendChoice be = net.check();
        if (chunk < 4096 || chunk > 64 << 20) throw new IllegalArgumentException("--chunk must be 4096..67108864, got " + chunk);
        files = new RootedFiles(root);
        // The first call loads libmanagement: done here, as STATS at the fd limit could not
        // open the library (UnsatisfiedLinkError) and got no reply.
        processCpuNanos();
        try {
            return listenAndRun(be);
        } catch (Exception | Error e) {
            files.close();
            throw e;
        }
    }

    private int listenAndRun(BackendChoice choice) throws Exception {
        BackendChoice be;
        try (EventLoop probe = choice.open()) { // refuse a mode the backend cannot do, before listening
            be = choice.pinnedTo(probe.backendName());
            AsyncIo io = probe.io();
            if (mode == Mode.uring && !io.kind().equals("io_uring")) {
                throw new IllegalArgumentException("--mode uring needs a backend whose AsyncIo is io_uring; backend " + probe.backendName()
                        + " has " + io.kind() + " (try --backend hybrid)");
            }
            if (mode == Mode.zc && !io.supports(AsyncIo.Op.SEND_ZC)) throw new IllegalArgumentException("--mode zc: SEND_ZC is not supported here");
            if (mode == Mode.splice && !io.supports(AsyncIo.Op.SPLICE)) throw new IllegalArgumentException("--mode splice: SPLICE is not supported here");
        }
        ReusePortSockets sockets = net.listen();
        boundPort = sockets.port();
        if (mode == Mode.threadpool) {
            workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    Thread.ofPlatform().name("fileserve-worker-", 0).daemon(true).factory());
        }
        try {
            group = LoopThreads.start("fileserve", be, net.threads, i -> new Shard(sockets.fds()[i]));
        } catch (Exception | Error e) {
            if (workers != null) workers.shutdown();
            throw e;
        }
        return boundPort;
    }

    public int port() {
        return boundPort;
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.printf("fileserve: %d loop(s) on backend %s, mode %s, root %s, listening on %s:%d%n",
                net.threads, group.backendName(), mode, files.root(), net.bind, boundPort);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        group.await();
        return 0;
    }

    /** Stops the loops (every connection closed), then the workers; prints the totals. Idempotent. */
    @Override
    public void close() {
        if (group == null) return;
        group.close();
        group = null;
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        files.close();
        System.out.printf(Locale.ROOT, "fileserve: served %d bytes; process CPU %.3f s%n", bytesServed.sum(), processCpuNanos() / 1e9);
    }

    // ------------------------------------------------------------------ per loop

    /** Bytes of a connection's request buffer and of its small-reply buffer. */
    private static final int IN_BYTES = 8192, SMALL_BYTES = 1024;

    private final class Shard implements LoopThreads.Shard {
        final Acceptor acceptor;
        final Connections<Conn> conns = new Connections<>();
        // Native memory, freed by the pools (not the GC): a connection's buffers go back when it
        // closes, a reply's chunk buffers when the reply ends (docs/samples.md, Hardening).
        final BufferPool connBuffers = new BufferPool(IN_BYTES + SMALL_BYTES, 256);
        final BufferPool chunkBuffers = new BufferPool(chunk, 4);
        EventLoop loop;

        Shard(int listenFd) {
            // Blocking sockets (no SOCK_NONBLOCK): ring and worker sends wait for room;
            // the loop itself reads with MSG_DONTWAIT.
            acceptor = new Acceptor("fileserve", listenFd, Libc.SOCK_CLOEXEC, fd -> conns.add(new Conn(this, fd)));
        }

        @Override
        public void start(EventLoop loop) {
            this.loop = loop;
            acceptor.useRing(net.ringIo(loop)).start(loop);
        }

        @Override
        public void shutdown() {
            acceptor.close();
            conns.closeAllAndDrain(loop);
            connBuffers.close();
            chunkBuffers.close();
        }
    }

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * One connection. Its buffers come from the shard's pools: the request and small-reply
     * buffers for its life, the chunk buffer(s) for one READ reply; each goes back only once no
     * op (ring, worker) can touch it: when the reply completed, or the connection closed.
     */
    private final class Conn implements Connections.Conn {
        final Shard shard;
        final EventLoop loop;
        final int fd;
        final FdEvent fde;
        final BufferPool.Buffer buffers;
        final MemorySegment in, small;
        // uring: two chunk buffers, so reading chunk n+1 overlaps sending chunk n
        final BufferPool.Buffer[] chunks = new BufferPool.Buffer[mode == Mode.uring ? 2 : 1];
        final MemorySegment[] out = new MemorySegment[chunks.length];
        int filled;
        long skip; // bytes of an oversized frame still to discard
        boolean busy, closing, closed;
        final ConnectionFiles opened = new ConnectionFiles();
        // --idle-timeout between frames, --frame-timeout once one started, --send-timeout for a
        // reply the client stops taking (a stalled worker send ends when close() shuts the socket down)
        final ConnectionTimer timer;

        Conn(Shard shard, int fd) {
            this.shard = shard;
            this.loop = shard.loop;
            this.fd = fd;
            buffers = shard.connBuffers.take();
            in = buffers.segment().asSlice(0, IN_BYTES);
            small = buffers.segment().asSlice(IN_BYTES, SMALL_BYTES);
            fde = loop.addFd(fd, FdEvent.READ, (e, f) -> onReadable());
            timer = new ConnectionTimer(loop, fd, ConnectionTimer.Phase.IDLE, net.idleTimeout.nanos(),
                    frameTimeout.nanos(), sendTimeout.nanos(), expired -> close());
        }

        private void onReadable() {
            long n = Libc.recv(fd, in.asSlice(filled), in.byteSize() - filled, Libc.MSG_DONTWAIT);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) return;
            if (n <= 0) { close(); return; }
            filled += (int) n;
            process();
        }

        /** Handles the complete frames in {@code in} until one starts a reply. */
        private void process() {
            while (!busy && !closing) {
                if (skip > 0) {
                    int d = (int) Math.min(skip, filled);
                    consume(d);
                    skip -= d;
                    if (skip > 0) break;
                    continue;
                }
                if (filled < 4) break;
                long frame = Integer.toUnsignedLong(in.get(U32, 0));
                if (frame > MAX_FRAME) {
                    consume(4);
                    skip = frame;
                    error(FRAME_TOO_LARGE, "frame of " + frame + " bytes; the limit is " + MAX_FRAME);
                    break;
                }
                if (filled < 4 + frame) break;
                handle((int) frame);
                consume(4 + (int) frame);
            }
            int want = busy || closing ? 0 : FdEvent.READ;
            if (!fde.isClosed() && fde.flags() != want) fde.setFlags(want);
            if (!closing) {
                timer.enter(busy ? ConnectionTimer.Phase.SENDING
                        : filled > 0 || skip > 0 ? ConnectionTimer.Phase.REQUEST : ConnectionTimer.Phase.IDLE);
            }
        }

        private void consume(int n) {
            MemorySegment.copy(in, n, in, 0, filled - n);
            filled -= n;
        }

        /** One frame of {@code len} bytes at in[4..]; starts its reply (sets busy). */
        private void handle(int len) {
            if (len == 0) { error(BAD_REQUEST, "empty frame: no opcode"); return; }
            int op = in.get(ValueLayout.JAVA_BYTE, 4) & 0xff;
            switch (op) {
                case OP_READ -> {
                    if (len < 19) { error(BAD_REQUEST, "READ frame too short"); return; }
                    long offset = in.get(U64, 5), length = in.get(U64, 13);
                    int pathLen = in.get(U16, 21) & 0xffff;
                    if (len != 19 + pathLen) { error(BAD_REQUEST, "READ frame length does not match its path length"); return; }
                    String path = utf8(23, pathLen);
                    if (path == null) { error(BAD_REQUEST, "path is not UTF-8"); return; }
                    read(path, offset, length);
                }
                case OP_STAT -> {
                    if (len < 3) { error(BAD_REQUEST, "STAT frame too short"); return; }
                    int pathLen = in.get(U16, 5) & 0xffff;
                    if (len != 3 + pathLen) { error(BAD_REQUEST, "STAT frame length does not match its path length"); return; }
                    String path = utf8(7, pathLen);
                    if (path == null) { error(BAD_REQUEST, "path is not UTF-8"); return; }
                    RootedFiles.Opened o = files.open(path);
                    if (refused(o, path)) return;
                    Libc.close(o.fd());
                    small.set(U64, REPLY_HEADER, o.size());
                    reply(OK, 8);
                }
                case OP_STATS -> {
                    if (len != 1) { error(BAD_REQUEST, "STATS takes no payload"); return; }
                    small.set(U64, REPLY_HEADER, processCpuNanos());
                    small.set(U64, REPLY_HEADER + 8, bytesServed.sum());
                    reply(OK, 16);
                }
                default -> error(UNKNOWN_OP, "unknown opcode " + op);
            }
        }

        private String utf8(int at, int len) {
            byte[] b = in.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        /** Answers a failed open with its error (true), or returns false for an open file. */
        private boolean refused(RootedFiles.Opened o, String path) {
            switch (o.status()) {
                case OK -> { return false; }
                case NOT_FOUND -> error(NOT_FOUND, "no such file: " + path);
                case FORBIDDEN -> error(FORBIDDEN, (o.errno() == Errno.EACCES || o.errno() == Errno.EPERM
                        ? "not readable: " : "path leaves the root: ") + path);
                case FAILED -> error(IO_ERROR, "open " + path + ": " + Errno.name(o.errno()));
            }
            return true;
        }

        private void read(String path, long offset, long length) {
            RootedFiles.Opened o = files.open(path); // the containment check: the file is opened beneath the root
            if (refused(o, path)) return;
            long size = o.size();
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                Libc.close(o.fd());
                error(BAD_RANGE, "range " + Long.toUnsignedString(offset) + "+" + Long.toUnsignedString(length)
                        + " is past the end of " + path + " (" + size + " bytes)");
                return;
            }
            int fileFd = opened.adopt(o); // one fd per file: clients read a file in many ranges
            busy = true;
            Request<Long> t;
            switch (mode) {
                case splice -> {
                    int[] p;
                    try {
                        p = opened.pipe();
                    } catch (Exception e) {
                        busy = false;
                        error(IO_ERROR, e.getMessage());
                        return;
                    }
                    header(small, OK, length);
                    Request<Long> all = Request.create(loop);
                    Transfers.sendAll(loop, fd, small, REPLY_HEADER, false).onComplete(h -> {
                        if (h.isError()) { all.error(h.cause()); return; }
                        Transfers.splice(loop, fileFd, offset, length, p[0], p[1], p[2], fd).onComplete(s -> {
                            if (s.isError()) all.error(s.cause()); else all.done(s.result());
                        });
                    });
                    t = all;
                }
                default -> {
                    for (int i = 0; i < chunks.length; i++) {
                        chunks[i] = shard.chunkBuffers.take();
                        out[i] = chunks[i].segment();
                    }
                    header(out[0], OK, length);
                    t = mode == Mode.threadpool
                            ? Transfers.pool(loop, workers, fileFd, offset, length, out[0], REPLY_HEADER, fd)
                            : Transfers.readSend(loop, fileFd, offset, length, out, REPLY_HEADER, fd, mode == Mode.zc);
                }
            }
            t.onComplete(done -> {
                if (!done.isError()) bytesServed.add(done.result());
                replied(done);
            });
        }

        private void header(MemorySegment seg, int status, long length) {
            seg.set(ValueLayout.JAVA_BYTE, 0, (byte) status);
            seg.set(U64, 1, length);
        }

        /** An error reply; the frame was consumed whole, so the connection stays usable. */
        private void error(int status, String message) {
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(m.length, (int) small.byteSize() - REPLY_HEADER);
            MemorySegment.copy(m, 0, small, ValueLayout.JAVA_BYTE, REPLY_HEADER, n);
            reply(status, n);
        }

        /** Sends small[0, header + bodyLen) with the header filled in. */
        private void reply(int status, int bodyLen) {
            header(small, status, bodyLen);
            busy = true;
            Transfers.sendAll(loop, fd, small, REPLY_HEADER + bodyLen, false).onComplete(this::replied);
        }

        private void replied(Request<Long> r) {
            busy = false;
            giveChunksBack();
            if (r.isError()) { // a reply broken half-way cannot be resynchronised: drop the connection
                close();
                return;
            }
            if (closing) { close(); return; }
            process();
        }

        /** Closes now, or (a reply in flight) shuts the socket down and closes when the reply ends. */
        @Override
        public void close() {
            if (closed) return;
            closing = true;
            timer.cancel();
            if (busy) {
                Libc.shutdown(fd, Libc.SHUT_RDWR);
                if (!fde.isClosed()) fde.setFlags(0);
                return;
            }
            closed = true;
            fde.close();
            Libc.close(fd);
            opened.close();
            giveChunksBack();
            shard.connBuffers.give(buffers);
            shard.conns.remove(this);
        }

        /** Only with no reply in flight: the chunk buffers are then unused. */
        private void giveChunksBack() {
            for (int i = 0; i < chunks.length; i++) {
                shard.chunkBuffers.give(chunks[i]);
                chunks[i] = null;
                out[i] = null;
            }
        }
    }
}
