package dev.tevent4j.samples;

import dev.tevent4j.BufferRing;
import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code bin/tevent4j echo-server}: a TCP echo server with one event loop per thread, each loop
 * owning its own SO_REUSEPORT listening socket on the shared port. Accepting is non-blocking
 * ({@code accept4} until EAGAIN from a READ event); each connection echoes with plain
 * read/write on the loop thread and waits for WRITE only when the send buffer is full. A
 * connection that moves no byte either way for --idle-timeout is closed (one timer per
 * connection, pushed back lazily: see {@code Conn}).
 *
 * <p>On the ring path ({@code --io ring}, the default where the loop's AsyncIo is io_uring) the
 * loop accepts with one multishot accept and reads each connection with a multishot receive
 * over one {@link BufferRing} per loop ({@code --buffers} x {@code --buffer-size}): a buffer is
 * taken only when data arrives, so idle connections pin none. See {@link RingConn} for the
 * write path and its back-pressure.
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = "TCP echo server: one event loop per thread, SO_REUSEPORT sockets on one port.")
public final class EchoServer implements Callable<Integer>, AutoCloseable {
    @Mixin
    final ServerOptions net = new ServerOptions(7777);

    @Option(names = "--buffers", description = "Ring path: receive buffers per loop, a power of two (default: ${DEFAULT-VALUE}).")
    int buffers = 256;
    @Option(names = "--buffer-size", description = "Ring path: bytes per receive buffer (default: ${DEFAULT-VALUE}).")
    int bufferSize = 16 * 1024;

    private LoopThreads group;
    private int boundPort;
    private final List<Shard> shards = new CopyOnWriteArrayList<>();

    /** The fd path's read size: one read per readiness report, as the macro bench servers do. */
    static final int BUFFER = 64 * 1024;

    /** Starts the server with the fields set (by picocli or by a test); returns the bound port. */
    public int start() throws Exception {
        BackendChoice be = net.check();
        if (buffers < 1 || buffers > 32768 || Integer.bitCount(buffers) != 1) throw new IllegalArgumentException("--buffers must be a power of two 1..32768, got " + buffers);
        if (bufferSize < 1) throw new IllegalArgumentException("--buffer-size must be at least 1, got " + bufferSize);
        ReusePortSockets sockets = net.listen();
        boundPort = sockets.port();
        long idle = net.idleTimeout.nanos();
        group = LoopThreads.start("echo", be, net.threads, i -> {
            Shard sh = new Shard(sockets.fds()[i], idle);
            shards.add(sh);
            return sh;
        });
        return boundPort;
    }

    /** The port the server listens on. */
    public int port() {
        return boundPort;
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.printf("echo-server: %d loop(s) on backend %s, listening on %s:%d%n",
                net.threads, group.backendName(), net.bind, boundPort);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        group.await();
        return 0;
    }

    /**
     * Free receive buffers over all loops on the ring path (as last seen by each loop after a
     * receive or a recycle), or -1 where a loop uses the fd path. For tests and diagnostics.
     */
    public int[] freeBuffers() {
        return shards.stream().mapToInt(sh -> sh.ring == null ? -1 : sh.freeSeen).toArray();
    }

    /** Stops every loop; closes every connection and listening socket. Idempotent. */
    @Override
    public void close() {
        if (group != null) group.close();
    }

    /** One loop: its listening socket, its connections and, on the ring path, its buffer ring. */
    private final class Shard implements LoopThreads.Shard {
        private final Acceptor acceptor;
        private final Connections<Connections.Conn> conns = new Connections<>();
        private final long idleNanos;
        /** Ring-path connections whose receive ended with ENOBUFS: re-armed as buffers come back. */
        private final java.util.ArrayDeque<RingConn> starved = new java.util.ArrayDeque<>();
        private EventLoop loop;
        BufferRing ring;
        /** The fd path's read buffer, one per loop (its connections write each read back at once). */
        private MemorySegment readBuffer;
        volatile int freeSeen;

        Shard(int listenFd, long idleNanos) {
            this.idleNanos = idleNanos;
            // Non-blocking connections: the loop reads and writes them itself.
            acceptor = new Acceptor("echo-server", listenFd, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, fd -> {
                Net.noDelay(fd);
                conns.add(ring != null ? new RingConn(this, fd) : new Conn(loop, fd, conns, idleNanos, readBuffer));
            });
        }

        @Override
        public void start(EventLoop loop) {
            this.loop = loop;
            boolean useRing = net.ringIo(loop);
            if (!useRing) readBuffer = Arena.ofAuto().allocate(BUFFER, 64);
            if (useRing) {
                ring = loop.io().bufferRing(buffers, bufferSize);
                freeSeen = ring.available();
            }
            acceptor.useRing(useRing).start(loop);
        }

        /** Gives a buffer back and lets starved connections receive again. */
        void recycle(int bufferId) {
            ring.recycle(bufferId);
            while (!starved.isEmpty() && ring.available() > 0) starved.poll().arm();
            freeSeen = ring.available();
        }

        @Override
        public void shutdown() {
            conns.closeAll();
            acceptor.close();
        }
    }

    /**
     * One connection on the fd path: reads go into its loop's one read buffer and are written
     * back at once, so the buffer is free again before any other connection reads; only an echo
     * the peer does not take at once is copied into memory of the connection's own, freed when it
     * is all sent. So an idle connection holds no native memory. The idle timer is not re-armed
     * per message: each read, and each time room opens for a pending echo, stamps
     * {@code lastActive}, and an expiry that finds a recent stamp re-arms itself for stamp +
     * idle (one timer update per idle period, not per read).
     */
    private static final class Conn implements Connections.Conn {
        final FdEvent fde;
        /** The loop's read buffer, shared by its connections. */
        final MemorySegment readBuf;
        final int fd;
        final long idleNanos;
        final TimerEvent idle;
        /** The unsent tail of the last read, null when all is sent; its arena goes with it. */
        Arena pendingArena;
        MemorySegment pending;
        long pendingOff;
        long lastActive = System.nanoTime();

        Conn(EventLoop loop, int fd, Connections<Connections.Conn> conns, long idleNanos, MemorySegment readBuf) {
            this.fd = fd;
            this.idleNanos = idleNanos;
            this.readBuf = readBuf;
            fde = loop.addFd(fd, FdEvent.READ, this::onFd);
            fde.setAutoClose(true);
            idle = loop.addTimerAt(lastActive + idleNanos, (t, now) -> onIdle(now));
            if (idleNanos == 0) idle.cancel();
            fde.setCloseFn((e, f) -> { // the auto-closed fd is gone: release the pending echo and the timer too
                idle.cancel();
                conns.remove(this);
                dropPending();
            });
        }

        private void onIdle(long now) {
            if (fde.isClosed()) return;
            long quietFor = now - lastActive;
            if (quietFor < idleNanos) { idle.update(lastActive + idleNanos); return; }
            fde.close(); // silently: an echo has nothing to say on timeout
        }

        @Override
        public void close() {
            fde.close();
        }

        private void onFd(FdEvent e, int flags) {
            if (pending != null) { // waiting for room to send the rest of the last read
                lastActive = System.nanoTime(); // room opened: the peer is taking its echoes
                flush();
                return;
            }
            long n = Libc.read(fd, readBuf, readBuf.byteSize());
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) return;
            if (n <= 0) { // EOF or ECONNRESET: the peer is gone
                e.close();
                return;
            }
            lastActive = System.nanoTime();
            long w = write(readBuf, n);
            if (w < 0) {
                fde.close();
                return;
            }
            if (w < n) { // the peer is slow: keep the rest, stop reading until it is sent
                pendingArena = Arena.ofConfined();
                pending = pendingArena.allocate(n - w);
                MemorySegment.copy(readBuf, w, pending, 0, n - w);
                pendingOff = 0;
                fde.setFlags(FdEvent.WRITE); // back-pressure: no unbounded buffer
            }
        }

        /** write(2) of {@code len} bytes of {@code from}; 0 when the socket is full, -errno on failure. */
        private long write(MemorySegment from, long len) {
            long w = Libc.write(fd, from, len);
            return w == -Errno.EAGAIN || w == -Errno.EINTR ? 0 : w;
        }

        private void flush() {
            long left = pending.byteSize() - pendingOff;
            long w = write(pending.asSlice(pendingOff, left), left);
            if (w < 0) {
                fde.close();
                return;
            }
            pendingOff += w;
            if (pendingOff == pending.byteSize()) {
                dropPending();
                fde.setFlags(FdEvent.READ);
            }
        }

        private void dropPending() {
            if (pendingArena != null) pendingArena.close();
            pendingArena = null;
            pending = null;
        }
    }

    /**
     * One ring-path connection: a multishot receive over the loop's buffer ring, each buffer
     * written back at once with {@code write} and recycled when it is all sent (the fast path:
     * nothing allocated, no buffer held). When the send buffer is full the unsent buffers are
     * held, in order, and the receive is cancelled, so a peer that does not read its echoes
     * holds at most the buffers already received (never more than the ring: memory stays
     * bounded), and WRITE is watched; once all is sent the buffers are recycled and the
     * receive re-armed. A receive that ends with ENOBUFS (no free buffer) waits in
     * {@link Shard#starved} until one is recycled. Idle timeout as {@link Conn}.
     */
    private static final class RingConn implements Connections.Conn {
        private final Shard shard;
        private final int fd;
        private final FdEvent fde;
        private final TimerEvent idle;
        private final dev.tevent4j.RecvHandler onData = this::onData;
        private dev.tevent4j.Request<Integer> recv;
        // Held (unsent) buffers, oldest first; arrays made at the first back-pressure only.
        private MemorySegment[] heldData;
        private int[] heldIds;
        private int heldHead, heldCount;
        private boolean peerDone, closed;
        long lastActive = System.nanoTime();

        RingConn(Shard shard, int fd) {
            this.shard = shard;
            this.fd = fd;
            EventLoop loop = shard.loop;
            fde = loop.addFd(fd, 0, (e, f) -> onWritable());
            fde.setAutoClose(true);
            long idleNanos = shard.idleNanos;
            idle = loop.addTimerAt(lastActive + idleNanos, (t, now) -> onIdle(now, idleNanos));
            if (idleNanos == 0) idle.cancel();
            fde.setCloseFn((e, f) -> {
                closed = true;
                idle.cancel();
                shard.starved.remove(this);
                shard.conns.remove(this);
                while (heldCount > 0) shard.recycle(popHeld());
            });
            arm();
        }

        /** Starts (again) the multishot receive. */
        void arm() {
            if (closed || peerDone) return;
            recv = shard.loop.io().recvMultishot(fd, shard.ring, onData);
            recv.onComplete(this::recvEnded);
        }

        private void onIdle(long now, long idleNanos) {
            if (closed) return;
            if (now - lastActive < idleNanos) { idle.update(lastActive + idleNanos); return; }
            close(); // silently, as Conn
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (recv != null && recv.isInProgress()) recv.cancel();
            fde.close();
        }

        private void onData(MemorySegment data, int bufferId) {
            shard.freeSeen = shard.ring.available();
            if (closed) { shard.recycle(bufferId); return; }
            lastActive = System.nanoTime();
            if (heldCount == 0) {
                long w = write(data);
                if (w < 0) { shard.recycle(bufferId); close(); return; }
                if (w == data.byteSize()) { shard.recycle(bufferId); return; }
                data = data.asSlice(w);
            }
            hold(data, bufferId);
            // Back-pressure: stop taking buffers until the peer reads its echoes.
            if (recv != null && recv.isInProgress()) recv.cancel();
            if (fde.flags() != FdEvent.WRITE) fde.setFlags(FdEvent.WRITE);
        }

        private long write(MemorySegment data) {
            long w = Libc.write(fd, data, data.byteSize());
            if (w == -Errno.EAGAIN || w == -Errno.EINTR) return 0;
            return w;
        }

        private void onWritable() {
            if (closed) return;
            lastActive = System.nanoTime(); // room opened: the peer is taking its echoes
            while (heldCount > 0) {
                int slot = heldHead;
                MemorySegment data = heldData[slot];
                long w = write(data);
                if (w < 0) { close(); return; }
                if (w < data.byteSize()) { heldData[slot] = data.asSlice(w); return; }
                shard.recycle(popHeld());
            }
            fde.setFlags(0);
            if (peerDone) { close(); return; }
            if (recv == null || !recv.isInProgress()) arm();
        }

        private void recvEnded(dev.tevent4j.Request<Integer> r) {
            if (closed) return;
            if (!r.isError()) { // end of file: close once the last echoes are out
                peerDone = true;
                if (heldCount == 0) close();
                return;
            }
            int errno = r.cause() instanceof dev.tevent4j.linux.ErrnoException e ? e.errno() : -1;
            if (errno == Errno.ECANCELED) { // our back-pressure pause; re-armed after the flush
                if (heldCount == 0) arm();
            } else if (errno == BufferRing.ENOBUFS) {
                if (heldCount > 0) return; // the flush re-arms
                if (shard.ring.available() > 0) arm();
                else shard.starved.add(this);
            } else {
                close(); // ECONNRESET and friends: the peer is gone
            }
        }

        private void hold(MemorySegment data, int bufferId) {
            if (heldData == null) {
                heldData = new MemorySegment[4];
                heldIds = new int[4];
            } else if (heldCount == heldData.length) {
                MemorySegment[] d = new MemorySegment[heldCount * 2];
                int[] ids = new int[heldCount * 2];
                for (int i = 0; i < heldCount; i++) {
                    d[i] = heldData[(heldHead + i) % heldCount];
                    ids[i] = heldIds[(heldHead + i) % heldCount];
                }
                heldData = d;
                heldIds = ids;
                heldHead = 0;
            }
            int slot = (heldHead + heldCount) % heldData.length;
            heldData[slot] = data;
            heldIds[slot] = bufferId;
            heldCount++;
        }

        private int popHeld() {
            int id = heldIds[heldHead];
            heldData[heldHead] = null;
            heldHead = (heldHead + 1) % heldData.length;
            heldCount--;
            return id;
        }
    }
}
