package dev.tevent4j.nativeuring;

import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.uring.IoUringAbi;
import dev.tevent4j.uring.Ring;
import dev.tevent4j.uring.RingUnavailableException;

/**
 * The experimental "uring" backend: fd events as IORING_OP_POLL_ADD, timers as the timeout of
 * the one io_uring_enter per iteration, AsyncIo on the same ring. Never the default (negative
 * priority): it is chosen only by name. Where the kernel refuses io_uring, or lacks what the
 * backend needs (POLL_ADD, POLL_REMOVE, IORING_FEAT_EXT_ARG for the timed wait), it is listed
 * as unusable with the reason.
 */
public final class UringBackendProvider implements BackendProvider {
    private static volatile String reason;
    private static volatile boolean probed;

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
        if (!probed) {
            String why = null;
            try (Ring ring = new Ring(2, 0, true)) {
                if ((ring.features() & IoUringAbi.IORING_FEAT_EXT_ARG) == 0) {
                    why = "io_uring lacks IORING_FEAT_EXT_ARG (kernel older than 5.11): no timed wait";
                } else if (!ring.supports(IoUringAbi.IORING_OP_POLL_ADD) || !ring.supports(IoUringAbi.IORING_OP_POLL_REMOVE)) {
                    why = "io_uring lacks IORING_OP_POLL_ADD/POLL_REMOVE";
                } else if (!ring.supports(IoUringAbi.IORING_OP_READ)) {
                    why = "io_uring lacks IORING_OP_READ (kernel older than 5.6)";
                }
            } catch (RingUnavailableException e) {
                why = e.getMessage();
            }
            reason = why;
            probed = true;
        }
        return reason;
    }

    @Override
    public Poller openPoller() {
        return new UringPoller();
    }
}
