package dev.tevent4j.hybrid;

import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.ring.IoUringAbi;
import dev.tevent4j.ring.RingProbe;

/**
 * The "hybrid" backend: epoll for fd events, io_uring for AsyncIo. The default wherever the
 * kernel lets this process set up a ring; where it refuses (ENOSYS, EPERM from
 * kernel.io_uring_disabled or seccomp), {@link #unusableReason()} says why and the default
 * falls back to epoll.
 */
public final class HybridBackendProvider implements BackendProvider {
    private static final RingProbe PROBE = new RingProbe(ring -> ring.supports(IoUringAbi.IORING_OP_READ)
            ? null : "io_uring lacks IORING_OP_READ (kernel older than 5.6)");

    /** The provider ServiceLoader instantiates. */
    public HybridBackendProvider() {
    }

    @Override
    public String name() {
        return "hybrid";
    }

    @Override
    public int defaultPriority() {
        return 20;
    }

    @Override
    public String unusableReason() {
        return PROBE.unusableReason();
    }

    @Override
    public Poller openPoller() {
        return new HybridPoller();
    }

    @Override
    public Poller openPoller(dev.tevent4j.LoopOptions options) {
        return new HybridPoller(options);
    }

    @Override
    public void forgetUsability() {
        RingProbe.forgetAnswers();
    }
}
