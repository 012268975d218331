package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Ping-pong over socketpairs watched with {@link FdEvent#READ} on both ends. Each end numbers
 * the 8-byte messages it writes 0, 1, 2, ... and checks that it reads exactly the next number
 * of its peer; every message read is answered with one written, so each direction keeps
 * {@value #WINDOW} messages in flight (32 bytes: a write never meets a full buffer).
 */
final class PingPong implements Traffic {
    private static final int WINDOW = 4;
    private static final ValueLayout.OfLong MESSAGE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Tally tally = new Tally("pingpong");
    private final EventLoop loop;
    private final Immediates immediates;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment readBuf = arena.allocate(512);
    private final MemorySegment writeBuf = arena.allocate(8);
    private final List<int[]> pairs = new ArrayList<>();
    private final List<End> ends = new ArrayList<>();
    private boolean stopped;

    private final class End implements FdHandler {
        final int fd;
        End peer;
        FdEvent event;
        final SequenceChecker incoming = new SequenceChecker(tally);
        long nextOut;
        long partial;
        int partialBytes;

        End(int fd) {
            this.fd = fd;
        }

        @Override
        public void onFd(FdEvent fde, int flags) {
            long n = Libc.read(fd, readBuf, readBuf.byteSize());
            if (n == -Errno.EAGAIN) return; // level-triggered: a spurious wakeup costs nothing
            if (n <= 0) {
                tally.violation("read on pingpong fd " + fd + " returned " + (n == 0 ? "end of file" : Errno.name((int) -n)));
                fde.close();
                return;
            }
            for (int i = 0; i < n; i++) {
                partial = (partial << 8) | (readBuf.get(ValueLayout.JAVA_BYTE, i) & 0xFF);
                if (++partialBytes < 8) continue;
                incoming.accept(partial);
                partial = 0;
                partialBytes = 0;
                if (!stopped) send();
                if ((incoming.next() & 7) == 0) immediates.scheduleOne();
            }
        }

        void send() {
            writeBuf.set(MESSAGE, 0, nextOut);
            long w = Libc.write(fd, writeBuf, 8);
            if (w != 8) {
                tally.violation("write of 8 bytes on pingpong fd " + fd + " returned " + (w < 0 ? Errno.name((int) -w) : w));
                return;
            }
            nextOut++;
            tally.sent++;
        }
    }

    PingPong(EventLoop loop, Immediates immediates, int pairCount) {
        this.loop = loop;
        this.immediates = immediates;
        for (int i = 0; i < pairCount; i++) {
            int[] fds = SocketPairs.open();
            pairs.add(fds);
            End a = new End(fds[0]), b = new End(fds[1]);
            a.peer = b;
            b.peer = a;
            ends.add(a);
            ends.add(b);
        }
    }

    @Override
    public List<Tally> tallies() {
        return List.of(tally);
    }

    @Override
    public void start() {
        for (End e : ends) e.event = loop.addFd(e.fd, FdEvent.READ, e);
        for (End e : ends) {
            for (int i = 0; i < WINDOW; i++) e.send();
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean drained() {
        for (End e : ends) {
            if (e.peer.incoming.next() < e.nextOut) return false;
        }
        return true;
    }

    @Override
    public void finish() {
        // Skipped numbers are counted lost already; so is what was written after the last one read.
        for (End e : ends) tally.lost += Math.max(0, e.nextOut - e.peer.incoming.next());
    }

    @Override
    public void close() {
        for (int[] p : pairs) SocketPairs.close(p);
        arena.close();
    }
}
