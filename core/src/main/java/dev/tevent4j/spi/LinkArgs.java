package dev.tevent4j.spi;

import dev.tevent4j.AsyncIo;

import java.time.Duration;
import java.util.Objects;

/** The argument checks of {@link dev.tevent4j.IoLink}, the same on every AsyncIo. */
public final class LinkArgs {
    private LinkArgs() {}

    /**
     * Refuses a second chain while one is open.
     *
     * @param open whether a chain is open
     * @throws IllegalStateException when it is
     */
    public static void notOpen(boolean open) {
        if (open) throw new IllegalStateException("a chain is open already on this AsyncIo: close it first");
    }

    /**
     * Checks a link timeout's limit.
     *
     * @param limit the limit
     * @return it, in nanoseconds
     * @throws IllegalArgumentException when it is not positive
     */
    public static long timeout(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("link timeout " + limit + " is not positive");
        return limit.toNanos();
    }

    /**
     * Checks that the op started last may be quiet.
     *
     * @param op the op
     * @param hard whether the chain is hard-linked
     * @throws IllegalStateException for an op other than write, writev and send, or a hard link
     */
    public static void quiet(AsyncIo.Op op, boolean hard) {
        if (op != AsyncIo.Op.WRITE && op != AsyncIo.Op.WRITEV && op != AsyncIo.Op.SEND) {
            throw new IllegalStateException("quiet applies to write, writev and send, not " + op);
        }
        if (hard) throw new IllegalStateException("quiet applies to soft links: a hard link runs on after a failure");
    }

    /**
     * Refuses a multishot op in an open chain.
     *
     * @param open whether a chain is open
     * @throws IllegalStateException when it is
     */
    public static void notMultishot(boolean open) {
        if (open) throw new IllegalStateException("a multishot op cannot be linked");
    }
}
