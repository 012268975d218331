package dev.tevent4j.samples;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens request paths under a root directory so that no path, however it is raced, opens
 * anything outside it. Shared by fileserve and httpd (any thread).
 *
 * <p>The root is opened once, as a directory fd. Every request path is opened relative to that
 * fd with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)}: the kernel refuses, during
 * the one lookup that also opens the file, any step that leaves the root (a "..", a symlink
 * out, a directory swapped for such a symlink while the request runs). Checking a path first and
 * opening it afterwards can be raced (rename a directory for a symlink in between); this
 * cannot. The open is {@code O_NONBLOCK}, so a FIFO swapped in for a file does not block the
 * calling thread in open(2); the opened fd is then checked with {@code statx}: only a regular
 * file is served, anything else is closed and answered as not found. The lexical refusals
 * (empty, NUL, absolute, any ".." component) stay for their clear errors; they are not what
 * keeps a request inside.
 *
 * <p>One exception to RESOLVE_BENEATH: it refuses every absolute symlink, also one that
 * points back inside the root. For those (EXDEV) the path is resolved in user space, and the
 * answer, when inside, is opened again relative to the root fd with RESOLVE_NO_SYMLINKS added,
 * so a swap after the user-space resolution fails the open (ELOOP or EXDEV) instead of leaving.
 *
 * <p>O_NONBLOCK stays set on the served fd: Linux ignores it for reads and splices of regular
 * files (it only changes pipes, sockets, FIFOs and devices, which are never served).
 */
public final class RootedFiles implements AutoCloseable {
    /** The outcome of {@link #open}. */
    public enum Status {
        /** Opened: a regular file; the caller owns {@link Opened#fd()}. */
        OK,
        /** No such file, or not a regular file (directory, FIFO, socket, device). */
        NOT_FOUND,
        /** The path leaves the root (or the file is not readable). */
        FORBIDDEN,
        /** Another failure, e.g. EMFILE: {@link Opened#errno()} says which. */
        FAILED
    }

    /**
     * What {@link #open} found: the open regular file (fd, size, device and inode) when
     * {@code status} is OK, else fd -1 and, for FAILED, the errno.
     */
    public record Opened(Status status, int fd, long size, long dev, long ino, int errno) {
        static Opened refused(Status status, int errno) {
            return new Opened(status, -1, 0, 0, 0, errno);
        }
    }

    // x86_64 errno values Errno has no constant for (same values as <errno.h>).
    private static final int ENXIO = 6, ENAMETOOLONG = 36, ELOOP = 40;
    private static final long OPEN_FLAGS = Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC;
    private static final long RESOLVE = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS;

    private final Path root;
    private final int rootFd;
    private volatile boolean closed; // a closed root fd's number may be reused: never open relative to it

    /**
     * Opens {@code root} (which must be a directory) for the life of this object.
     *
     * @throws IllegalArgumentException if it is not a directory or cannot be opened
     */
    public RootedFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root is not a directory: " + root);
        this.root = root.toRealPath();
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.open(a.allocateFrom(this.root.toString()), Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalArgumentException("--root: cannot open " + this.root + ": " + Errno.name(-fd));
            rootFd = fd;
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Opens {@code relative} (a path under the root, "/"-separated, no leading "/") for reading.
     * On OK the caller owns the fd and must close it.
     */
    public Opened open(String relative) {
        if (relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.startsWith("/")) return Opened.refused(Status.FORBIDDEN, 0);
        for (String part : relative.split("/")) {
            if (part.equals("..")) return Opened.refused(Status.FORBIDDEN, 0);
        }
        if (closed) return Opened.refused(Status.FAILED, Errno.EBADF);
        try (Arena a = Arena.ofConfined()) {
            int fd = Libc.openat2(rootFd, a.allocateFrom(relative), OPEN_FLAGS, 0, RESOLVE, a);
            if (fd == -Errno.EXDEV) fd = openThroughAbsoluteLink(relative, a);
            if (fd < 0) return refusal(-fd);
            return regularFile(fd, a);
        }
    }

    /** After EXDEV: resolve in user space; open the result only if it is inside, following no symlink. */
    private int openThroughAbsoluteLink(String relative, Arena a) {
        Path real;
        try {
            real = root.resolve(relative).toRealPath(); // lstat/readlink only: a FIFO is not opened
        } catch (IOException | InvalidPathException e) {
            return -Errno.EXDEV;
        }
        if (!real.startsWith(root) || real.equals(root)) return -Errno.EXDEV;
        String inside = root.relativize(real).toString();
        int fd = Libc.openat2(rootFd, a.allocateFrom(inside), OPEN_FLAGS, 0, RESOLVE | Libc.RESOLVE_NO_SYMLINKS, a);
        return fd == -ELOOP ? -Errno.EXDEV : fd; // a symlink appeared on the resolved path: raced, refuse
    }

    private static Opened refusal(int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ENOTDIR, ENAMETOOLONG, ENXIO -> Opened.refused(Status.NOT_FOUND, errno);
            case Errno.EXDEV, ELOOP, Errno.EACCES, Errno.EPERM -> Opened.refused(Status.FORBIDDEN, errno);
            default -> Opened.refused(Status.FAILED, errno);
        };
    }

    /** The statx of the opened fd itself (not of a path, which could have changed since): regular files only. */
    private static Opened regularFile(int fd, Arena a) {
        MemorySegment stx = a.allocate(Libc.STATX_SIZE_BYTES, 8);
        int rc = Libc.statx(fd, a.allocateFrom(""), Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_SIZE | Libc.STATX_INO, stx);
        if (rc < 0) {
            Libc.close(fd);
            return Opened.refused(Status.FAILED, -rc);
        }
        int mode = stx.get(ValueLayout.JAVA_SHORT, Libc.STATX_MODE_OFFSET) & 0xffff;
        if ((mode & Libc.S_IFMT) != Libc.S_IFREG) {
            Libc.close(fd);
            return Opened.refused(Status.NOT_FOUND, 0);
        }
        long dev = (long) stx.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MAJOR_OFFSET) << 32
                | Integer.toUnsignedLong(stx.get(ValueLayout.JAVA_INT, Libc.STATX_DEV_MINOR_OFFSET));
        return new Opened(Status.OK, fd, stx.get(ValueLayout.JAVA_LONG, Libc.STATX_SIZE_OFFSET), dev,
                stx.get(ValueLayout.JAVA_LONG, Libc.STATX_INO_OFFSET), 0);
    }

    /** Closes the root fd; opens after this fail. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Libc.close(rootFd);
    }
}
