package dev.tevent4j.uring;

import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.ring.IoUringAbi;
import dev.tevent4j.ring.RingProbe;

/**
 * The experimental "uring" backend: fd events as IORING_OP_POLL_ADD, timers as the timeout of
 * the one io_uring_enter per iteration, AsyncIo on the same ring. Never the default (negative
 * priority): it is chosen only by name. Where the kernel refuses io_uring, or lacks what the
 * backend needs (POLL_ADD, POLL_REMOVE, IORING_FEAT_EXT_ARG for the timed wait), it is listed
 * as unusable with the reason.
 */
public final class UringBackendProvider implements BackendProvider {
    private static final RingProbe PROBE = new RingProbe(ring -> {
        if ((ring.features() & IoUringAbi.IORING_FEAT_EXT_ARG) == 0) {
            return "io_uring lacks IORING_FEAT_EXT_ARG (kernel older than 5.11): no timed wait";
        }
        if (!ring.supports(IoUringAbi.IORING_OP_POLL_ADD) || !ring.supports(IoUringAbi.IORING_OP_POLL_REMOVE)) {
            return "io_uring lacks IORING_OP_POLL_ADD/POLL_REMOVE";
        }
        if (!ring.supports(IoUringAbi.IORING_OP_READ)) {
            return "io_uring lacks IORING_OP_READ (kernel older than 5.6)";
        }
        return null;
    });

    /** The provider ServiceLoader instantiates. */
    public UringBackendProvider() {
    }

    @Override
    public String name() {
        return "uring";
    }

    @Override
    public int defaultPriority() {
        return -10;
    }

    @Override
    public String unusableReason() {
        return PROBE.unusableReason();
    }

    @Override
    public Poller openPoller() {
        return new UringPoller();
    }

    @Override
    public Poller openPoller(dev.tevent4j.LoopOptions options) {
        return new UringPoller(options);
    }

    @Override
    public void forgetUsability() {
        RingProbe.forgetAnswers();
    }
}
