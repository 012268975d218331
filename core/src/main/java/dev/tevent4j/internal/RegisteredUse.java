package dev.tevent4j.internal;

/**
 * A registered table (or one slot of it) an op of the thread pool uses: told when the op's Job
 * is made and when it finishes, so the table knows when no worker may touch its memory or fds.
 */
interface RegisteredUse {
    /** An op on the table was started. */
    void opStarted();

    /** An op on the table is over: no worker touches its buffer or fd any more. */
    void opEnded();
}
