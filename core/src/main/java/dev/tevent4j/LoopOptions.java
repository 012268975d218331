package dev.tevent4j;

/**
 * Per-loop sizes and limits, given to {@link EventLoop#open(String, LoopOptions)}. Immutable;
 * made with {@link #builder()} (or {@link #defaults()}), whose setters check each value and
 * whose {@link Builder#build()} checks the values together, throwing
 * {@link IllegalArgumentException} naming the value.
 *
 * <p>What each backend does with them (docs/asyncio.md, "Ring sizes and limits"):
 * <ul>
 *   <li>hybrid and uring set their io_uring ring up with {@link #sqEntries()} SQ entries and
 *   {@link #cqEntries()} CQ entries (IORING_SETUP_CQSIZE), apply the io-wq worker limits with
 *   IORING_REGISTER_IOWQ_MAX_WORKERS and, with {@link #registeredRingFd()}, register the ring fd
 *   on the loop thread (IORING_REGISTER_RING_FDS) so each io_uring_enter skips the fd lookup;</li>
 *   <li>epoll has no ring: {@link #ioWqBoundedWorkers()} sizes the thread pool of its AsyncIo,
 *   the other values are checked and otherwise unused.</li>
 * </ul>
 *
 * @param sqEntries SQ entries, 1 to 32768, rounded up to a power of two by the kernel; default 256
 * @param cqEntries CQ entries, 0 for the backend's default (hybrid: twice the SQ, the kernel's
 *     own; uring: sixteen times the SQ, as its fd polls share the CQ), else from the (rounded)
 *     SQ size to 65536, rounded up to a power of two by the kernel; default 0
 * @param ioWqBoundedWorkers most io-wq workers for bounded work (regular files, block devices)
 *     per loop thread, 0 for the kernel's default (the CPU count); on epoll the thread pool's
 *     size, 0 for its default (the CPU count, at least 2); default 0
 * @param ioWqUnboundedWorkers most io-wq workers for unbounded work (sockets, pipes), 0 for the
 *     kernel's default (RLIMIT_NPROC); unused on epoll; default 0
 * @param registeredRingFd whether to register the ring fd for io_uring_enter (Linux 5.18; where
 *     the kernel refuses, the plain fd is used, silently); unused on epoll; default true
 */
public record LoopOptions(int sqEntries, int cqEntries, int ioWqBoundedWorkers, int ioWqUnboundedWorkers,
                          boolean registeredRingFd) {
    /** The SQ size the ring backends use when none is given. */
    public static final int DEFAULT_SQ_ENTRIES = 256;
    /** io_uring's IORING_MAX_ENTRIES: the largest SQ. */
    public static final int MAX_SQ_ENTRIES = 32768;
    /** io_uring's IORING_MAX_CQ_ENTRIES: the largest CQ. */
    public static final int MAX_CQ_ENTRIES = 2 * MAX_SQ_ENTRIES;

    private static final LoopOptions DEFAULTS = new LoopOptions(DEFAULT_SQ_ENTRIES, 0, 0, 0, true);

    /**
     * Checks the values together.
     *
     * @throws IllegalArgumentException for a value out of range, naming it
     */
    public LoopOptions {
        if (sqEntries < 1 || sqEntries > MAX_SQ_ENTRIES) {
            throw new IllegalArgumentException("sqEntries " + sqEntries + " is not in 1.." + MAX_SQ_ENTRIES);
        }
        if (cqEntries != 0 && (cqEntries < roundedSq(sqEntries) || cqEntries > MAX_CQ_ENTRIES)) {
            throw new IllegalArgumentException("cqEntries " + cqEntries + " is neither 0 (the default) nor in "
                    + roundedSq(sqEntries) + ".." + MAX_CQ_ENTRIES + " (at least the SQ, " + sqEntries
                    + " rounded up to a power of two)");
        }
        if (ioWqBoundedWorkers < 0) {
            throw new IllegalArgumentException("ioWqBoundedWorkers " + ioWqBoundedWorkers + " is negative (0: the default)");
        }
        if (ioWqUnboundedWorkers < 0) {
            throw new IllegalArgumentException("ioWqUnboundedWorkers " + ioWqUnboundedWorkers + " is negative (0: the default)");
        }
    }

    private static int roundedSq(int sq) {
        return Integer.highestOneBit(sq) == sq ? sq : Integer.highestOneBit(sq) << 1;
    }

    /**
     * The defaults: 256 SQ entries, the backend's CQ size, the kernel's io-wq limits, a
     * registered ring fd.
     *
     * @return the default options
     */
    public static LoopOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The CQ size a ring backend asks io_uring_setup for.
     *
     * @param multipleOfSq the backend's default, as a multiple of the SQ, used when
     *     {@link #cqEntries()} is 0
     * @return {@link #cqEntries()}, or the SQ size (rounded up to a power of two) times
     *     {@code multipleOfSq}, at most 65536
     */
    public int cqEntriesOr(int multipleOfSq) {
        if (cqEntries != 0) return cqEntries;
        return (int) Math.min(MAX_CQ_ENTRIES, (long) roundedSq(sqEntries) * multipleOfSq);
    }

    /** Collects the values; each setter checks its own, {@link #build()} checks them together. */
    public static final class Builder {
        private int sq, cq, bounded, unbounded;
        private boolean registeredRingFd;

        private Builder(LoopOptions from) {
            sq = from.sqEntries;
            cq = from.cqEntries;
            bounded = from.ioWqBoundedWorkers;
            unbounded = from.ioWqUnboundedWorkers;
            registeredRingFd = from.registeredRingFd;
        }

        /**
         * The SQ size.
         *
         * @param entries 1 to 32768 (the kernel rounds up to a power of two)
         * @return this builder
         * @throws IllegalArgumentException out of range
         */
        public Builder sqEntries(int entries) {
            if (entries < 1 || entries > MAX_SQ_ENTRIES) {
                throw new IllegalArgumentException("sqEntries " + entries + " is not in 1.." + MAX_SQ_ENTRIES);
            }
            sq = entries;
            return this;
        }

        /**
         * The CQ size; {@link #build()} checks it against the SQ size.
         *
         * @param entries 0 for the backend's default, else at most 65536
         * @return this builder
         * @throws IllegalArgumentException out of range
         */
        public Builder cqEntries(int entries) {
            if (entries < 0 || entries > MAX_CQ_ENTRIES) {
                throw new IllegalArgumentException("cqEntries " + entries + " is not in 0.." + MAX_CQ_ENTRIES);
            }
            cq = entries;
            return this;
        }

        /**
         * The bounded io-wq worker limit (epoll: the thread pool's size).
         *
         * @param workers 0 for the default, else a positive count
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder ioWqBoundedWorkers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("ioWqBoundedWorkers " + workers + " is negative (0: the default)");
            bounded = workers;
            return this;
        }

        /**
         * The unbounded io-wq worker limit.
         *
         * @param workers 0 for the default, else a positive count
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder ioWqUnboundedWorkers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("ioWqUnboundedWorkers " + workers + " is negative (0: the default)");
            unbounded = workers;
            return this;
        }

        /**
         * Whether to register the ring fd for io_uring_enter.
         *
         * @param register false to always pass the plain fd
         * @return this builder
         */
        public Builder registeredRingFd(boolean register) {
            registeredRingFd = register;
            return this;
        }

        /**
         * The options.
         *
         * @return immutable options
         * @throws IllegalArgumentException when the CQ is smaller than the SQ
         */
        public LoopOptions build() {
            return new LoopOptions(sq, cq, bounded, unbounded, registeredRingFd);
        }
    }
}
