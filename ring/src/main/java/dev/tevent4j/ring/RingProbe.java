package dev.tevent4j.ring;

import dev.tevent4j.linux.Errno;

import java.util.function.Function;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * Answers a ring backend's "is it usable here?": sets up a tiny ring, makes it run one real op
 * (an IORING_OP_NOP submitted and reaped through io_uring_enter, with a bounded wait), asks the
 * backend's requirements of it, and remembers the answer. Each of the three io_uring syscalls is
 * exercised, so a seccomp filter refusing any one of them is reported with the true reason.
 * Backends share the refusal messages this way.
 *
 * <p>The answer is kept until {@link #forgetAnswers()}: io_uring can be disabled while the JVM
 * runs (sysctl kernel.io_uring_disabled=2, a seccomp filter installed later), and a backend
 * whose ring then cannot be set up makes the loop factory forget every probe's answer.
 */
public final class RingProbe {
    /** How long the probe waits for its NOP's completion before calling the ring unusable. */
    static final long NOP_WAIT_NANOS = 1_000_000_000L;
    private static final long NOP_USER_DATA = UserData.ignored(0x7465_7665_6e74L);

    /** Bumped by {@link #forgetAnswers()}: an answer from an older epoch is asked again. */
    private static volatile int epoch;

    private final Function<Ring, String> requirements;
    /** The last answer and the epoch it was given in; null before the first probe. */
    private volatile Answer answer;

    private record Answer(int epoch, String reason) {}

    /**
     * A probe for one backend.
     *
     * @param requirements given the probe's ring, returns why it is not enough for the backend,
     *     or null
     */
    public RingProbe(Function<Ring, String> requirements) {
        this.requirements = requirements;
    }

    /**
     * Makes every probe ask the kernel again on its next {@link #unusableReason()}: called when a
     * backend the probe called usable could not set up its ring after all.
     */
    public static void forgetAnswers() {
        synchronized (RingProbe.class) {
            epoch++;
        }
    }

    /**
     * Asks the kernel on the first call (and after {@link #forgetAnswers()}), else answers from
     * the cache.
     *
     * @return null when usable; else why not (io_uring refused, or a requirement unmet)
     */
    public String unusableReason() {
        int now = epoch;
        Answer a = answer;
        if (a == null || a.epoch() != now) {
            a = new Answer(now, probe());
            answer = a;
        }
        return a.reason();
    }

    private String probe() {
        try (Ring ring = new Ring(2, 0, false)) {
            if (ring.probeErrno() != 0) {
                return "io_uring_register(IORING_REGISTER_PROBE) failed: " + Errno.name(ring.probeErrno())
                        + " (kernel older than 5.6, which lacks the probe and IORING_OP_READ)";
            }
            String why = nopRoundTrip(ring);
            return why != null ? why : requirements.apply(ring);
        } catch (RingUnavailableException e) {
            return e.getMessage();
        }
    }

    /**
     * Submits one NOP and reaps its completion, waiting at most {@link #NOP_WAIT_NANOS}: null when
     * it completed with 0, else what went wrong.
     */
    static String nopRoundTrip(Ring ring) {
        Sqe sqe = ring.nextSqe();
        if (sqe == null) return "io_uring: a fresh ring has no free SQE";
        sqe.prepNop().userData(NOP_USER_DATA);
        int rc = ring.submit(true);
        long deadline = System.nanoTime() + NOP_WAIT_NANOS;
        boolean timedWait = (ring.features() & IORING_FEAT_EXT_ARG) != 0;
        while (!Ring.isRefusal(rc) && !ring.hasCompletions()) {
            if (System.nanoTime() - deadline > 0) {
                return "io_uring_enter accepted a NOP but no completion came within "
                        + NOP_WAIT_NANOS / 1_000_000 + " ms";
            }
            if (timedWait) {
                rc = ring.submitAndWait(1, 50_000_000L);
            } else {
                Thread.onSpinWait();
                rc = ring.submit(true);
            }
        }
        if (Ring.isRefusal(rc)) {
            return Ring.enterRefusedMessage(-rc);
        }
        int[] result = {Integer.MIN_VALUE};
        ring.reap((userData, res, flags) -> {
            if (userData == NOP_USER_DATA) result[0] = res;
        });
        if (result[0] == Integer.MIN_VALUE) return "io_uring: the NOP's completion carried a foreign user_data";
        if (result[0] != 0) return "io_uring: a NOP completed with " + Errno.name(-result[0]);
        return null;
    }
}
