package dev.tevent4j.uring;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What epoll_ctl would answer at once, asked with one statx(2) of the fd: EBADF for a closed
 * fd, EPERM for a regular file or directory (always ready), and whether a registered fd number
 * still names the file it was added for (inode and device), since a close and a reuse of the
 * number behind the loop's back leaves the poll on the old file. A POLL_ADD would tell only in a
 * later completion.
 */
final class UringFdCheck implements AutoCloseable {
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000;

    private final UringFdTable fds;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment statxBuf = arena.allocate(Libc.STATX_SIZE_BYTES, 8);
    private final MemorySegment emptyPath = arena.allocate(1);

    UringFdCheck(UringFdTable fds) {
        this.fds = fds;
    }

    /**
     * Stats the fd: 0 or -errno as epoll_ctl would answer. When {@code adding}, records the
     * file's identity in the table first.
     */
    int check(int fd, boolean adding) {
        int rc = Libc.statx(fd, emptyPath, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_INO, statxBuf);
        if (rc < 0) return rc == -Errno.ENOENT ? -Errno.EBADF : rc;
        if (adding) {
            fds.setIdentity(fd, inode(), device());
            int type = Short.toUnsignedInt(statxBuf.get(ValueLayout.JAVA_SHORT, Libc.STATX_MODE_OFFSET)) & S_IFMT;
            // epoll refuses files that are always ready; a poll would report them forever.
            if (type == S_IFREG || type == S_IFDIR) return -Errno.EPERM;
        }
        return 0;
    }

    /** After a successful {@link #check}: whether fd still names the file it was added for. */
    boolean sameFileAsAdded(int fd) {
        return fds.ino(fd) == inode() && fds.dev(fd) == device();
    }

    private long inode() {
        return statxBuf.get(ValueLayout.JAVA_LONG, Libc.STATX_INO_OFFSET);
    }

    private long device() {
        return ((long) statxBuf.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MAJOR_OFFSET) << 32)
                | Integer.toUnsignedLong(statxBuf.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MINOR_OFFSET));
    }

    @Override
    public void close() {
        arena.close();
    }
}
