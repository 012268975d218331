package dev.tevent4j.samples;

import dev.tevent4j.io.ErrnoException;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The kernel objects a file-serving connection keeps between requests: the file it last opened
 * (clients read one file in many ranges, so it stays open until another is asked for) and the
 * pipe it splices through (made on first use). Closed with the connection.
 */
final class ConnectionFiles {
    private Path path;
    private int fileFd = -1;
    private int[] pipe;

    /** The fd of {@code file}, opening it unless it is the one already open; -errno on failure. */
    int open(Path file) {
        if (file.equals(path)) return fileFd;
        closeFile();
        try (Arena a = Arena.ofConfined()) {
            int f = Libc.open(a.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (f >= 0) {
                fileFd = f;
                path = file;
            }
            return f;
        }
    }

    /** The file opened last, or -1. */
    int fileFd() {
        return fileFd;
    }

    /** The splice pipe {read end, write end, capacity}, made on first use. */
    int[] pipe() throws ErrnoException {
        if (pipe == null) pipe = Transfers.pipe();
        return pipe;
    }

    /** Closes the open file: the next {@link #open} opens again. */
    void closeFile() {
        if (fileFd >= 0) Libc.close(fileFd);
        fileFd = -1;
        path = null;
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
