package dev.tevent4j.uring;

import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Re-checks poll reports whose mask may predate the wait. A completion carries the mask the
 * kernel stashed when the poll was woken; with DEFER_TASKRUN it is posted by a later enter, and
 * a handler may have consumed that readiness in between. epoll re-polls every ready fd when
 * epoll_wait returns, and the loop's contract is epoll's: so the suspect reports of one wait are
 * re-checked with one poll(2) of timeout 0, and a report no longer true is dropped.
 */
final class StaleReportCheck implements AutoCloseable {
    private static final long POLLFD_SIZE = Libc.POLLFD.byteSize();

    private final Arena arena = Arena.ofConfined();
    private MemorySegment pollFds = arena.allocate(POLLFD_SIZE * 64, 8);
    /** Indexes in the ready list of the reports to re-check. */
    private int[] suspects = new int[64];
    private int count;
    private long validations;

    /** Forgets the suspects of the previous wait. */
    void clear() {
        count = 0;
    }

    /** Marks the report at {@code readyIndex} of the ready list as suspect. */
    void suspect(int readyIndex) {
        if (count == suspects.length) suspects = Arrays.copyOf(suspects, count * 2);
        suspects[count++] = readyIndex;
    }

    boolean any() {
        return count > 0;
    }

    /** poll(2) calls made so far, for tests. */
    long validations() {
        return validations;
    }

    /**
     * Re-polls the suspects, rewrites their events to what is true now, and compacts the ready
     * list, dropping the reports with nothing left.
     *
     * @return the new length of the ready list
     */
    int revalidate(int[] readyFds, int[] readyEvents, int readyCount, UringFdTable fds) {
        if (pollFds.byteSize() < POLLFD_SIZE * count) {
            pollFds = arena.allocate(POLLFD_SIZE * Math.max(count, 2 * (pollFds.byteSize() / POLLFD_SIZE)), 8);
        }
        for (int k = 0; k < count; k++) {
            int fd = readyFds[suspects[k]];
            pollFds.set(ValueLayout.JAVA_INT, k * POLLFD_SIZE, fd);
            pollFds.set(ValueLayout.JAVA_SHORT, k * POLLFD_SIZE + 4, (short) UringPoller.pollMask(fds.interest(fd)));
            pollFds.set(ValueLayout.JAVA_SHORT, k * POLLFD_SIZE + 6, (short) 0);
        }
        validations++;
        if (Libc.poll(pollFds, count, 0) < 0) {
            return readyCount; // EINTR: keep the reports (at worst one spurious call)
        }
        for (int k = 0; k < count; k++) {
            int i = suspects[k];
            int revents = Short.toUnsignedInt(pollFds.get(ValueLayout.JAVA_SHORT, k * POLLFD_SIZE + 6));
            readyEvents[i] = UringPoller.readiness(revents, fds.interest(readyFds[i]));
        }
        int kept = 0;
        for (int i = 0; i < readyCount; i++) {
            if (readyEvents[i] != 0) {
                readyFds[kept] = readyFds[i];
                readyEvents[kept] = readyEvents[i];
                kept++;
            }
        }
        return kept;
    }

    @Override
    public void close() {
        arena.close();
    }
}
