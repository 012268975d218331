package dev.tevent4j.ring;

/**
 * A registered table an op uses: told when the op's slot is released (its completion, a failed
 * start, or the ops failed after a refused enter), so the table knows when no op may touch its
 * memory or files any more.
 */
interface RegisteredUse {
    /** An op on the table is over. */
    void opEnded();
}
