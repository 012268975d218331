package dev.tevent4j.uring;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.EventLoop;
import dev.tevent4j.Msg;
import dev.tevent4j.Request;
import dev.tevent4j.contract.Fds;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting an op on a {@link Msg} allocates no more on the ring than a NOP (its Request only):
 * the msghdr, iovecs, name and control are the Msg's, nothing is copied into scratch.
 */
class UringMsgAllocationTest {
    @BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    /** Average bytes allocated while starting each op: {nop, sendmsg, recvmsg}; each recv follows its send. */
    private static long[] bytesPerStart(com.sun.management.ThreadMXBean mx, int rounds, AsyncIo io, int[] sp, Msg out, Msg in) {
        long[] total = new long[3];
        for (int i = 0; i < rounds; i++) {
            total[0] += started(mx, io::nop);
            total[1] += started(mx, () -> io.sendmsg(sp[0], out, 0));
            total[2] += started(mx, () -> io.recvmsg(sp[1], in, 0)); // the send's 16 bytes are there
        }
        for (int k = 0; k < 3; k++) total[k] /= rounds;
        return total;
    }

    /** Bytes allocated by starting the op (not by running the loop until it completes). */
    private static long started(com.sun.management.ThreadMXBean mx, Supplier<Request<Integer>> op) {
        long before = mx.getCurrentThreadAllocatedBytes();
        Request<Integer> r = op.get();
        long bytes = mx.getCurrentThreadAllocatedBytes() - before;
        r.await();
        return bytes;
    }

    @Test
    void sendmsgAndRecvmsgOnAMsgAllocateNoMoreThanANop() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        int[] sp = Fds.socketpair();
        try (EventLoop loop = EventLoop.open("uring"); Arena arena = Arena.ofShared()) {
            AsyncIo io = loop.io();
            Msg out = Msg.allocate(arena, 0, 0, arena.allocate(8), arena.allocate(8));
            Msg in = Msg.allocate(arena, 0, 0, arena.allocate(16));
            bytesPerStart(mx, 3000, io, sp, out, in); // warm-up: JIT, class init, slot growth
            long[] bytes = bytesPerStart(mx, 1000, io, sp, out, in);
            long nopBytes = bytes[0], sendBytes = bytes[1], recvBytes = bytes[2];
            System.out.println("bytes allocated per op start: nop " + nopBytes + ", sendmsg(Msg) " + sendBytes
                    + ", recvmsg(Msg) " + recvBytes);
            assertTrue(sendBytes <= nopBytes + 8, "sendmsg(Msg) allocates " + sendBytes + " vs nop " + nopBytes);
            assertTrue(recvBytes <= nopBytes + 8, "recvmsg(Msg) allocates " + recvBytes + " vs nop " + nopBytes);
        } finally {
            Fds.close(sp[0]);
            Fds.close(sp[1]);
        }
    }
}
