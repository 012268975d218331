package dev.tevent4j;

/**
 * What a {@link LoopWrapper} runs around the handlers registered through it
 * (tevent_wrapper_ops): Samba switches to a user's identity before such a handler and back
 * after it. Every method runs on the loop thread and defaults to doing nothing.
 *
 * <p>{@code event} is what the handler belongs to: the {@link FdEvent}, {@link TimerEvent},
 * {@link Immediate}, {@link SignalEvent}, the {@link Request} whose callback runs, or the
 * {@link Runnable} given to the wrapper's {@link EventLoop#executor() executor}. A
 * {@code beforeHandler} that throws keeps the handler (and {@code afterHandler}) from running;
 * the exception goes to the loop's uncaught-exception handler. {@code afterHandler} runs after
 * the handler, also when the handler threw.
 */
public interface WrapperHooks {
    /** Before {@link LoopWrapper#use(Runnable)} runs its action (tevent's before_use). */
    default void beforeUse(LoopWrapper wrapper) {}

    /** After {@link LoopWrapper#use(Runnable)} ran its action, also when it threw (after_use). */
    default void afterUse(LoopWrapper wrapper) {}

    /** Before a handler registered through {@code wrapper} (before_fd_handler and the others). */
    default void beforeHandler(LoopWrapper wrapper, Object event) {}

    /** After that handler returned or threw (after_fd_handler and the others). */
    default void afterHandler(LoopWrapper wrapper, Object event) {}
}
