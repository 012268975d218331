package dev.tevent4j.spi;

import java.util.function.Supplier;

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
     * Runs {@code ops} on the loop thread; every op it starts carries personality {@code id}.
     *
     * @param id what {@link #registerPersonality()} returned, or 0 for the loop thread's own
     * @return what {@code ops} returned
     */
    <T> T withPersonality(int id, Supplier<T> ops);
}
