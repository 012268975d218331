package dev.tevent4j.samples;

import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;

/**
 * The kernel objects a file-serving connection keeps between requests: the file it serves
 * from and the pipe it splices through (made on first use). Closed with the connection.
 *
 * <p>The file is keyed on what it is, (device, inode), never on the path a client named: every
 * request opens its path afresh through {@link RootedFiles#open} (that open is the containment
 * check), and {@link #adopt} then keeps one fd per file: the one already open when the request
 * names the same file again (clients read one file in many ranges), else the new one.
 */
final class ConnectionFiles {
    private int fileFd = -1;
    private long dev, ino;
    private int[] pipe;

    /**
     * Takes the file a request opened ({@code opened.status()} must be OK) and returns the fd to
     * serve it from; the fd not kept is closed. Call only with no reply in flight.
     */
    int adopt(RootedFiles.Opened opened) {
        if (opened.status() != RootedFiles.Status.OK) throw new IllegalArgumentException("opened: not an open file: " + opened);
        if (fileFd >= 0 && opened.dev() == dev && opened.ino() == ino) {
            Libc.close(opened.fd());
            return fileFd;
        }
        closeFile();
        fileFd = opened.fd();
        dev = opened.dev();
        ino = opened.ino();
        return fileFd;
    }

    /** The file adopted last, or -1. */
    int fileFd() {
        return fileFd;
    }

    /** The splice pipe {read end, write end, capacity}, made on first use. */
    int[] pipe() throws ErrnoException {
        if (pipe == null) pipe = Transfers.pipe();
        return pipe;
    }

    /** Closes the kept file: the next {@link #adopt} keeps the one it is given. */
    void closeFile() {
        if (fileFd >= 0) Libc.close(fileFd);
        fileFd = -1;
    }

    void close() {
        closeFile();
        if (pipe != null) {
            Libc.close(pipe[0]);
            Libc.close(pipe[1]);
            pipe = null;
        }
    }
}
