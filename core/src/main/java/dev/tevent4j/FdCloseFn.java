package dev.tevent4j;

/** Called once when an {@link FdEvent} is closed, before auto-close closes the fd. */
@FunctionalInterface
public interface FdCloseFn {
    /**
     * @param fde the event being closed
     * @param fd its file descriptor, still open when this runs
     */
    void onClose(FdEvent fde, int fd);
}
