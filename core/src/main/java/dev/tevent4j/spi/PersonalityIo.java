package dev.tevent4j.spi;

/**
 * An AsyncIo whose ops can run with other credentials than the loop thread's: io_uring's
 * registered personalities (IORING_REGISTER_PERSONALITY). {@link dev.tevent4j.LoopWrapper}
 * uses it for {@link dev.tevent4j.LoopWrapper#registerPersonality()}; the thread-pool AsyncIo
 * of the epoll backend has no such thing.
 */
public interface PersonalityIo {
    /**
     * Registers the calling thread's current credentials (uids, gids, groups, capabilities).
     *
     * @return the id, 1..65535
     * @throws java.io.UncheckedIOException with an {@link dev.tevent4j.linux.ErrnoException} when
     *     the kernel refuses
     */
    int registerPersonality();

    /**
     * Makes the ops started from now on the loop thread carry personality {@code id}, until the
     * next swap; the caller swaps the previous id back (in a finally) when its ops are started.
     *
     * @param id what {@link #registerPersonality()} returned, or 0 for the loop thread's own
     * @return the id the ops carried until now
     * @throws IllegalArgumentException for an id outside 0..65535
     */
    int swapPersonality(int id);
}
