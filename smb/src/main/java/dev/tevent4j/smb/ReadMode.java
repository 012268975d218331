package dev.tevent4j.smb;

/** How READ responses travel from the file to the socket ({@code --mode}). */
public enum ReadMode {
    /** pread then sendmsg, both on the thread pool's AsyncIo (the epoll backend). */
    threadpool,
    /** READ then SENDMSG on the io_uring ring. */
    ring,
    /** SENDMSG of the header, then file to pipe to socket with SPLICE on the ring: no copy to user space. */
    splice,
    /** READ, then SENDMSG_ZC on the ring: the socket takes the pages by reference. */
    zc;

    /** The mode when none is given: one constant, so the benchmark's verdict changes one line. */
    public static final ReadMode DEFAULT = ring;

    /** Whether this mode needs an io_uring AsyncIo. */
    public boolean needsIoUring() {
        return this != threadpool;
    }
}
