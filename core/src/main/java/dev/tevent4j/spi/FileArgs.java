package dev.tevent4j.spi;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.Msg;

/**
 * Argument checks of the {@link AsyncIo} file and message ops, shared by the ring and the thread
 * pool so both refuse the same input with the same message before anything is submitted.
 */
public final class FileArgs {
    private FileArgs() {}

    /** The largest fadvise length io_uring takes: the SQE's len field is 32 bits. */
    public static final long MAX_FADVISE_LENGTH = 0xFFFF_FFFFL;

    /**
     * Returns {@code path}, refusing null and an embedded NUL (the kernel would cut the path there).
     *
     * @param path a path or an xattr name
     * @param name the argument's name for the message
     * @return the path
     */
    public static String path(String path, String name) {
        if (path == null) throw new NullPointerException(name + " is null");
        if (path.indexOf('\0') >= 0) throw new IllegalArgumentException(name + " contains a NUL character");
        return path;
    }

    /**
     * Returns {@code msg}, refusing null.
     *
     * @param msg the message
     * @return it
     */
    public static Msg msg(Msg msg) {
        if (msg == null) throw new NullPointerException("msg is null");
        return msg;
    }

    /**
     * fadvise's range: a non-negative offset and a length of 0 (to the end of the file) up to
     * {@link #MAX_FADVISE_LENGTH}.
     *
     * @param offset the start
     * @param len the length
     * @return the length as the kernel's 32-bit field (unsigned)
     */
    public static int fadviseRange(long offset, long len) {
        if (offset < 0) throw new IllegalArgumentException("offset " + offset + " is negative");
        if (len < 0 || len > MAX_FADVISE_LENGTH) {
            throw new IllegalArgumentException("len " + len + " is outside 0.." + MAX_FADVISE_LENGTH
                    + " (0 means to the end of the file)");
        }
        return (int) len;
    }

    /**
     * Refuses a negative byte count.
     *
     * @param len the count
     * @param name the argument's name for the message
     */
    public static void count(int len, String name) {
        if (len < 0) throw new IllegalArgumentException(name + " " + len + " is negative");
    }
}
