package dev.tevent4j;

/**
 * A pool of equal-sized native receive buffers that {@link AsyncIo#recvMultishot} fills: the
 * kernel (io_uring's provided buffer ring, IORING_REGISTER_PBUF_RING) or the thread pool's
 * emulation picks a free buffer only when data arrives, so an idle connection pins no buffer.
 * Made by {@link AsyncIo#bufferRing}; its native memory belongs to the loop, which unregisters
 * and frees it when it closes (a segment a handler kept fails on access after that).
 *
 * <p>Each buffer is in one of two hands: the ring's (free: the kernel may fill it) or the
 * caller's (lent: handed to a {@link RecvHandler} with its id). The caller gives it back with
 * {@link #recycle(int)}, at once or later; until then no op writes into it. When every buffer is
 * lent, a receive that has data ends its stream with {@link #ENOBUFS} (see
 * {@link AsyncIo#recvMultishot}). Loop thread only.
 */
public interface BufferRing {
    /** The errno a {@link AsyncIo#recvMultishot} request fails with when no buffer was free. */
    int ENOBUFS = 105;

    /** @return how many buffers (a power of two) */
    int count();

    /** @return the size of each buffer in bytes */
    int bufferSize();

    /** @return how many buffers are free (in the ring's hands) now */
    int available();

    /**
     * Gives a lent buffer back to the ring, which may fill it again from then on.
     *
     * @param bufferId the id the {@link RecvHandler} got
     * @throws IllegalArgumentException for an id out of range
     * @throws IllegalStateException when the buffer is not lent (recycled twice), off the
     *     loop thread; a recycle after the loop closed is ignored
     */
    void recycle(int bufferId);
}
