package dev.tevent4j;

import java.time.Duration;

/**
 * A chain of AsyncIo ops that run one after another, submitted together (io_uring's
 * IOSQE_IO_LINK and IOSQE_IO_HARDLINK). Opened by {@link AsyncIo#link()} or
 * {@link AsyncIo#hardLink()}; every op started on that AsyncIo (its requests and its
 * {@link IoHandle}s alike) until {@link #close()} joins the chain, in the order started:
 *
 * <pre>{@code
 * try (IoLink chain = io.link()) {
 *     io.sendmsg(socket, header, 0);                    // the reply's header
 *     io.splice(file, offset, pipeIn, -1, length, 0);   // file -> pipe
 *     chain.timeout(Duration.ofSeconds(5));              // ... within 5 s, else ETIME
 *     io.splice(pipeOut, -1, socket, -1, length, 0);    // pipe -> socket
 * }
 * }</pre>
 *
 * <p>An op of a soft link starts only once the op before it succeeded; when one fails, the
 * rest complete with ECANCELED, as the kernel does. "Failed" is the kernel's rule: a negative
 * result, and also a short transfer for read, write, readv, writev, splice and tee (fewer bytes
 * than asked), and for send/recv/sendmsg/recvmsg with MSG_WAITALL. In a hard link every op runs
 * whatever the results before it. Each op still completes its own request or handle, in chain
 * order.
 *
 * <p>Cancelling an op of the chain (or its deadline passing) before it started cancels it as
 * soon as it starts, which breaks a soft link there. Multishot ops cannot be linked. A chain
 * must fit in the ring's submission queue: up to half its entries (128 with the default
 * 256) always do.
 * The instance is the AsyncIo's own and is reused: opening a chain allocates nothing.
 */
public interface IoLink extends AutoCloseable {
    /**
     * Gives the op started last a time limit, counted from when it starts (IORING_OP_LINK_TIMEOUT):
     * if it has not completed by then it is cancelled and fails with ETIME (an ErrnoException, or
     * -ETIME to a handle), which breaks a soft link. Once per op.
     *
     * @param limit how long the op may take; positive
     * @return this chain
     * @throws IllegalStateException when no op was started in the chain yet, or the last one has a timeout already
     * @throws IllegalArgumentException for a limit that is not positive
     */
    IoLink timeout(Duration limit);

    /**
     * Makes the op started last post no completion when it succeeds (IOSQE_CQE_SKIP_SUCCESS): its
     * success is known when the next op of the chain completes, and its request or handle
     * completes then, just before that op's, with the whole length as its result. Only for
     * write, writev and send; a send gets MSG_WAITALL, so that a short send is a failure, which
     * does post its completion (with the count sent). The last op of a chain
     * posts its completion anyway: nothing after it could tell that it succeeded. Saves a
     * completion and, for an echo on the uring backend, an io_uring_enter per round trip.
     *
     * @return this chain
     * @throws IllegalStateException when the op started last is not one of those
     */
    IoLink quiet();

    /** Whether ops started now join this chain (between {@code link()} and {@link #close()}). */
    boolean isOpen();

    /**
     * Ends the chain: the op started last is its end. Cancels asked for while the chain was
     * being built are sent now. Idempotent.
     */
    @Override
    void close();
}
