package dev.tevent4j.hybrid;

import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.Poller;
import dev.tevent4j.uring.Ring;
import dev.tevent4j.uring.RingUnavailableException;

/**
 * The "hybrid" backend: epoll for fd events, io_uring for AsyncIo. The default wherever the
 * kernel lets this process set up a ring; where it refuses (ENOSYS, EPERM from
 * kernel.io_uring_disabled or seccomp), {@link #unusableReason()} says why and the default
 * falls back to epoll.
 */
public final class HybridBackendProvider implements BackendProvider {
    private static volatile String reason;
    private static volatile boolean probed;

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
        if (!probed) {
            String why = null;
            try (Ring ring = new Ring(2, 0, false)) {
                if (!ring.supports(dev.tevent4j.uring.IoUringAbi.IORING_OP_READ)) {
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
        return new HybridPoller();
    }
}
