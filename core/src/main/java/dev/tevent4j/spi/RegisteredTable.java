package dev.tevent4j.spi;

/**
 * What registered buffers and registered files share on every AsyncIo: the count of ops in
 * flight on the table, and a close that refuses while one is, so no memory or fd goes while the
 * kernel or a worker may still use it. The loop's close calls {@link #release()} once its
 * AsyncIo has drained every op.
 */
public abstract class RegisteredTable {
    private final LoopServices loop;
    private final String what;
    private int inFlight;
    private boolean closed;

    /**
     * A table owned by {@code loop}.
     *
     * @param loop whose thread may close it
     * @param what its name in messages, e.g. "registered buffers"
     */
    protected RegisteredTable(LoopServices loop, String what) {
        this.loop = loop;
        this.what = what;
    }

    /** An op on the table was started (counted before its slot or job can be released). */
    public void opStarted() {
        inFlight++;
    }

    /** An op on the table is over: neither the kernel nor a worker touches its memory or fd any more. */
    public void opEnded() {
        inFlight--;
    }

    /**
     * Ops on the table started and not yet completed.
     *
     * @return how many
     */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Whether the table was closed or released.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses a call off the loop thread or on a closed loop.
     *
     * @throws IllegalStateException off the loop thread, or once the loop is closed
     */
    protected void checkOwnerAndOpen() {
        loop.checkOwnerAndOpen();
    }

    /**
     * Refuses a call on a closed table.
     *
     * @throws IllegalStateException when closed
     */
    protected void checkOpen() {
        if (closed) throw new IllegalStateException("the " + what + " are closed");
    }

    /**
     * Closes the table on the loop thread; refused while ops on it are in flight. Idempotent.
     *
     * @throws IllegalStateException off the loop thread, or with ops in flight
     */
    public void close() {
        if (closed) return;
        loop.checkOwnerAndOpen();
        if (inFlight > 0) {
            throw new IllegalStateException(inFlight + " ops on the " + what + " are in flight:"
                    + " cancel them and wait for their completions before close");
        }
        release();
    }

    /** Releases the table's memory or fds once, whatever is in flight (the loop's close, after the drain). */
    public final void release() {
        if (closed) return;
        closed = true;
        released();
    }

    /** Frees what the table holds: called once, by {@link #release()}. */
    protected abstract void released();
}
