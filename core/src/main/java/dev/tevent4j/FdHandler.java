package dev.tevent4j;

/** Called on the loop thread when an {@link FdEvent} fires. */
@FunctionalInterface
public interface FdHandler {
    /**
     * @param fde the event that fired
     * @param flags what fired: a non-empty subset of {@code fde.flags()}
     */
    void onFd(FdEvent fde, int flags);
}
