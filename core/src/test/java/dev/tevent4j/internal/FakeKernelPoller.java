package dev.tevent4j.internal;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.spi.Poller;

import java.util.HashMap;
import java.util.Map;

/**
 * A poller that answers registrations the way epoll does for a scripted set of files, so that
 * the loop's bookkeeping can be driven through states real fds reach only by accident: a file
 * closed behind the loop's back (EBADF), a number reused for another file (ENOENT on MOD/DEL),
 * a regular file (EPERM). It never reports readiness; tests dispatch directly.
 */
final class FakeKernelPoller implements Poller {
    /** What an fd number names: a pollable file, nothing, or a regular file. */
    enum FileState { OPEN, CLOSED, REGULAR }

    private final Map<Integer, FileState> files = new HashMap<>();
    /** fd -> interest the fake kernel holds now (absent: not registered). */
    private final Map<Integer, Integer> registered = new HashMap<>();

    /** The file under {@code fd} is closed and another, of {@code state}, may take its number. */
    void set(int fd, FileState state) {
        files.put(fd, state);
        registered.remove(fd); // the old file's registration went with it
    }

    /** What the fake kernel watches for {@code fd}, 0 when nothing. */
    int registeredInterest(int fd) {
        return registered.getOrDefault(fd, 0);
    }

    @Override
    public int setInterest(int fd, int oldInterest, int newInterest) {
        FileState state = files.getOrDefault(fd, FileState.OPEN);
        switch (state) {
            case CLOSED:
                return -Errno.EBADF;
            case REGULAR:
                return oldInterest == 0 && newInterest != 0 ? -Errno.EPERM : -Errno.ENOENT;
            default:
                if (oldInterest != 0 && !registered.containsKey(fd)) return -Errno.ENOENT;
                break;
        }
        if (newInterest == 0) registered.remove(fd); else registered.put(fd, newInterest);
        return 0;
    }

    @Override
    public int poll(long timeoutNanos) {
        return 0;
    }

    @Override
    public int readyFd(int i) {
        throw new IndexOutOfBoundsException(i);
    }

    @Override
    public int readyEvents(int i) {
        throw new IndexOutOfBoundsException(i);
    }

    @Override
    public void close() {
    }
}
