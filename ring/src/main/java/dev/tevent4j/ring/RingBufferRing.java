package dev.tevent4j.ring;

import dev.tevent4j.BufferRing;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.spi.LoopServices;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * A {@link BufferRing} registered with an io_uring ring (IORING_REGISTER_PBUF_RING, the
 * variant where the application allocates the ring memory, page-aligned). The entries and the
 * buffers live in one arena of the loop; the ring is unregistered and the arena freed at the
 * loop's close, after the AsyncIo drained every op (so the kernel holds no buffer any more).
 *
 * <p>The kernel takes entries from the head it keeps to itself; we add at the tail, published
 * with a release store as liburing's io_uring_buf_ring_advance does. Every buffer is either in
 * the ring or lent to the caller, so the ring (as many entries as buffers) never overflows.
 */
final class RingBufferRing implements BufferRing {
    /** x86_64's page: the kernel refuses a ring_addr that is not page-aligned (EINVAL). */
    private static final long PAGE = 4096;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    private static final long ENTRY = BUF.byteSize(), ADDR = off(BUF, "addr"), LEN = off(BUF, "len"), BID = off(BUF, "bid");

    private final LoopServices loop;
    private final Ring ring;
    private final int group, count, size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries, buffers;
    private final boolean[] lent;
    private int lentCount;
    /** Our copy of the tail (u16, wraps as the kernel's head does). */
    private short tail;
    private boolean closed;

    RingBufferRing(LoopServices loop, Ring ring, int group, int count, int size) {
        if (count < 1 || count > 32768 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("count " + count + " is not a power of two from 1 to 32768");
        }
        if (size < 1) throw new IllegalArgumentException("size " + size + " is not positive");
        this.loop = loop;
        this.ring = ring;
        this.group = group;
        this.count = count;
        this.size = size;
        this.lent = new boolean[count];
        try {
            entries = arena.allocate(Math.max(PAGE, count * ENTRY), PAGE);
            buffers = arena.allocate((long) count * size, 64);
            for (int id = 0; id < count; id++) add(id);
            SHORT.setRelease(entries, BUF_RING_TAIL, tail);
            MemorySegment reg = registration();
            reg.set(ValueLayout.JAVA_LONG, off(BUF_REG, "ring_addr"), entries.address());
            reg.set(ValueLayout.JAVA_INT, off(BUF_REG, "ring_entries"), count);
            int rc = IoUringAbi.register(ring.fd(), IORING_REGISTER_PBUF_RING, reg, 1);
            if (rc < 0) throw new UncheckedIOException(new ErrnoException("io_uring_register(IORING_REGISTER_PBUF_RING)", -rc));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        loop.atClose(LoopServices.CloseStage.DRAIN_IO, this::close);
    }

    /** A zeroed io_uring_buf_reg naming our group (pad and resv must be 0). */
    private MemorySegment registration() {
        MemorySegment reg = arena.allocate(BUF_REG);
        reg.set(ValueLayout.JAVA_SHORT, off(BUF_REG, "bgid"), (short) group);
        return reg;
    }

    /** The buffer group id the ring is registered under (the SQE's buf_group). */
    int group() {
        return group;
    }

    /** Whether this ring belongs to {@code owner}'s ring. */
    boolean belongsTo(Ring owner) {
        return owner == ring;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int bufferSize() {
        return size;
    }

    @Override
    public int available() {
        return count - lentCount;
    }

    /** Writes buffer {@code id} into the entry at the tail and moves our tail (not yet published). */
    private void add(int id) {
        long at = (tail & (count - 1)) * ENTRY;
        entries.set(ValueLayout.JAVA_LONG, at + ADDR, buffers.address() + (long) id * size);
        entries.set(ValueLayout.JAVA_INT, at + LEN, size);
        entries.set(ValueLayout.JAVA_SHORT, at + BID, (short) id);
        tail++;
    }

    /** A CQE named buffer {@code id}: the kernel took it out of the ring, it is the caller's now. */
    void lend(int id) {
        if (id < 0 || id >= count || lent[id]) return; // not a buffer the ring held: nothing to track
        lent[id] = true;
        lentCount++;
    }

    /** Whether buffer {@code id} is lent. */
    boolean isLent(int id) {
        return id >= 0 && id < count && lent[id];
    }

    /** Buffer {@code id}'s first {@code length} bytes. */
    MemorySegment slice(int id, int length) {
        return buffers.asSlice((long) id * size, length);
    }

    @Override
    public void recycle(int bufferId) {
        if (closed) return;
        loop.checkOwnerAndOpen();
        if (bufferId < 0 || bufferId >= count) {
            throw new IllegalArgumentException("buffer id " + bufferId + " is not in 0.." + (count - 1));
        }
        if (!lent[bufferId]) throw new IllegalStateException("buffer " + bufferId + " is not lent: recycled twice?");
        giveBack(bufferId);
    }

    /** Puts lent buffer {@code id} back into the ring (no owner check: the AsyncIo's own returns). */
    void giveBack(int id) {
        if (closed || !isLent(id)) return;
        lent[id] = false;
        lentCount--;
        add(id);
        SHORT.setRelease(entries, BUF_RING_TAIL, tail);
    }

    /** Loop close, after the drain: unregister (the kernel unpins the pages), then free the memory. */
    private void close() {
        if (closed) return;
        closed = true;
        if (ring.enterRefusal() == 0) IoUringAbi.register(ring.fd(), IORING_UNREGISTER_PBUF_RING, registration(), 1);
        arena.close();
    }

    @Override
    public String toString() {
        return "BufferRing[io_uring group " + group + ", " + count + " x " + size + " bytes, " + available() + " free]";
    }
}
