package dev.tevent4j;

/**
 * A view of an event loop whose handlers run between the {@link WrapperHooks} of the wrapper
 * (tevent_context_wrapper_create), made with {@link EventLoop#wrapper}.
 *
 * <p>Events registered through a wrapper live in the main loop and use its backend: they are
 * run by running the main loop; {@link #runOnce()}, {@link #run()} and {@link #runUntil} of a
 * wrapper throw {@link UnsupportedOperationException}, as tevent aborts there. What a wrapper
 * wraps: fd, timer, immediate and signal handlers added through it, the callbacks of requests
 * created on it ({@link Request#create(EventLoop)}, also their children and queue triggers of
 * a {@link RequestQueue} made on it), and runnables given to its {@link #executor()}. Loop-wide
 * settings (trace callbacks, the uncaught-exception handler, {@link #io()}) are the main
 * loop's. {@link AsyncIo} completions are not wrapped: an op's request is the main loop's.
 *
 * <p>{@link #close()} refuses new registrations through the wrapper and detaches nothing:
 * events and requests made through it stay in the main loop, still wrapped (tevent instead
 * disarms them when a wrapper is freed). Closing the main loop closes them as always.
 */
public interface LoopWrapper extends EventLoop {
    /** The name given at creation, for messages and logs. */
    String name();

    /** The loop this wrapper is a view of. */
    EventLoop main();

    /**
     * Runs {@code action} now, between {@link WrapperHooks#beforeUse} and
     * {@link WrapperHooks#afterUse} (tevent_context_push_use / pop_use): for code outside any
     * handler that must run as the wrapper's identity.
     *
     * @throws IllegalStateException when called inside another {@code use} of the same wrapper
     *     (tevent: "wrapper already busy"), off the loop thread, or on a closed wrapper
     */
    void use(Runnable action);

    /**
     * Per-op credentials (io_uring's IORING_REGISTER_PERSONALITY, Linux only): registers the
     * calling thread's credentials as they are now with the main loop's ring, and from then on
     * every op started through this wrapper's {@link #io()} runs with them, whatever the loop
     * thread's credentials are when the ring submits it. Linux keeps credentials per thread, so
     * a daemon running as root switches its loop thread to the user for this call only (a raw
     * {@code setresuid} syscall: glibc's wrapper changes every thread) and back after it.
     * The registration lasts as long as the main loop. Ops of an {@link IoHandle} or a
     * {@link BufferRing} made through the view carry no personality.
     *
     * @return the id, 1..65535
     * @throws UnsupportedOperationException when the loop's AsyncIo has no io_uring ring (the
     *     epoll backend's thread pool): its ops always run with the worker threads' credentials
     * @throws IllegalStateException if the wrapper has a personality already, is closed, or
     *     off the loop thread
     * @throws java.io.UncheckedIOException when the kernel refuses the registration
     */
    int registerPersonality();

    /** The id {@link #registerPersonality()} returned, or 0 when it has not been called. */
    int personality();
}
