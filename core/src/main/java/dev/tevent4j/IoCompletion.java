package dev.tevent4j;

/**
 * Receives the result of an {@link IoHandle}'s op, on the loop thread.
 */
@FunctionalInterface
public interface IoCompletion {
    /**
     * The op of {@code handle} completed; the handle is free again (it may start its next op
     * from here) and the kernel no longer uses the op's buffers.
     *
     * @param handle the handle whose op completed
     * @param result the syscall's result when non-negative, else -errno (e.g. -ECANCELED when
     *     cancelled or when the loop closed, -ETIME when an {@link IoLink#timeout} passed)
     */
    void onComplete(IoHandle handle, int result);
}
