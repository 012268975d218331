package dev.tevent4j.ring;

import dev.tevent4j.LoopOptions;

/**
 * Sets up the ring of a loop as its {@link LoopOptions} say: the SQ and CQ sizes, the io-wq
 * worker limits and the registered ring fd. Called by the hybrid and uring pollers on the loop
 * thread, which matters for the last two: both belong to the calling thread (its io_uring task
 * context).
 */
public final class RingSetup {
    private RingSetup() {}

    /**
     * A ring for one loop.
     *
     * @param options the loop's options
     * @param cqPerSq the backend's CQ size when the options leave it at 0, as a multiple of the
     *     SQ size; 0 for the kernel's default (twice the SQ)
     * @param wantDeferTaskrun as in {@link Ring#Ring(int, int, boolean, int)}
     * @param extraFlags as in {@link Ring#Ring(int, int, boolean, int)}
     * @return the ring, its io-wq limits applied and its fd registered where the kernel allows
     * @throws RingUnavailableException when the kernel refuses io_uring
     * @throws java.io.UncheckedIOException when the kernel refuses the io-wq limits (before 5.15)
     */
    public static Ring open(LoopOptions options, int cqPerSq, boolean wantDeferTaskrun, int extraFlags) {
        Ring ring = new Ring(options.sqEntries(), options.cqEntriesOr(cqPerSq), wantDeferTaskrun, extraFlags);
        try {
            if (options.ioWqBoundedWorkers() > 0 || options.ioWqUnboundedWorkers() > 0) {
                ring.ioWqMaxWorkers(options.ioWqBoundedWorkers(), options.ioWqUnboundedWorkers());
            }
            if (options.registeredRingFd()) {
                ring.registerRingFd(); // refused before 5.18: the plain fd works the same, a little slower
            }
        } catch (RuntimeException | Error e) {
            ring.close();
            throw e;
        }
        return ring;
    }
}
