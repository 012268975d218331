package dev.tevent4j.uring;

import java.util.function.Function;

/**
 * Answers a ring backend's "is it usable here?": sets up a tiny ring once, asks the backend's
 * requirements of it, and remembers the answer (io_uring's availability does not change while
 * the JVM runs). Backends share the refusal messages this way.
 */
public final class RingProbe {
    private final Function<Ring, String> requirements;
    private volatile boolean probed;
    private volatile String reason;

    /** @param requirements returns why the ring is not enough for the backend, or null */
    public RingProbe(Function<Ring, String> requirements) {
        this.requirements = requirements;
    }

    /** Null when usable; else why not (io_uring refused, or a requirement unmet). */
    public String unusableReason() {
        if (!probed) {
            String why;
            try (Ring ring = new Ring(2, 0, false)) {
                why = requirements.apply(ring);
            } catch (RingUnavailableException e) {
                why = e.getMessage();
            }
            reason = why;
            probed = true;
        }
        return reason;
    }
}
