package dev.tevent4j.internal;

import dev.tevent4j.linux.Libc;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's {@link Executor} (tevent's threaded context): an MPSC queue plus an eventfd that is
 * written only when the loop is blocked or about to block, so a busy loop costs producers no
 * syscall.
 *
 * <p>The gate: before a blocking wait the loop stores SLEEPING, then re-checks the queue. A
 * producer offers first, then moves SLEEPING to WOKEN with a CAS and only the winner writes the
 * eventfd. Both sides use volatile accesses, so either the loop sees the runnable in its
 * re-check or the producer sees SLEEPING: a wakeup cannot be lost.
 *
 * <p>Closing, as ExecutorService.shutdown: every runnable that {@link #execute} accepted runs,
 * once, on the loop thread, even when close races the producers. A producer counts itself into
 * {@link #admission} before it offers and out after; {@link #seal} sets the sign bit and waits
 * until the count drains to zero, so after it no offer is half done, every accepted runnable is
 * in the queue, and every later execute is refused.
 *
 * <p>The queue is JCTools' VarHandle variant (jctools-core-jdk11): the same algorithm as
 * MpscUnboundedArrayQueue without sun.misc.Unsafe, whose memory-access methods the JDK warns
 * about since 24 and will remove.
 */
final class ThreadedContext implements Executor {
    private static final int AWAKE = 0, SLEEPING = 1, WOKEN = 2;

    private final MpscUnboundedVarHandleArrayQueue<Runnable> queue = new MpscUnboundedVarHandleArrayQueue<>(1024);
    private final AtomicInteger gate = new AtomicInteger(AWAKE);
    private final int eventFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
    private final MemorySegment drainBuffer = arena.allocate(ValueLayout.JAVA_LONG);
    private volatile boolean closed;
    /** Producers between their admission check and their offer; {@link #SEALED} once closing. */
    private final AtomicInteger admission = new AtomicInteger();
    private static final int SEALED = Integer.MIN_VALUE;

    ThreadedContext() {
        int fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0) {
            arena.close();
            throw new IllegalStateException("eventfd failed: " + dev.tevent4j.linux.Errno.name(-fd));
        }
        eventFd = fd;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    int eventFd() {
        return eventFd;
    }

    @Override
    public void execute(Runnable command) {
        Checks.notNull(command, "command");
        // Full fences both ways: seal() must see either our count or we its sign bit.
        if (admission.getAndIncrement() < 0) {
            admission.getAndDecrement();
            throw new RejectedExecutionException("the event loop is closed");
        }
        try {
            queue.offer(command);
        } finally {
            admission.getAndDecrement();
        }
        wake();
    }

    /**
     * Wakes the loop if it is blocked or about to block. Thread-safe. The caller publishes its
     * work (a queued runnable, a signal's pending flag) with a volatile write first; the loop
     * re-checks that work after storing SLEEPING, so one of the two sides sees the other.
     */
    void wake() {
        if (gate.get() == SLEEPING && gate.compareAndSet(SLEEPING, WOKEN)) {
            wakeLoop();
        }
    }

    // Rare path (the loop is asleep, a syscall follows anyway): the lock keeps close() from
    // freeing the eventfd, whose number the kernel could reuse, under a late writer.
    private synchronized void wakeLoop() {
        if (!closed) {
            Libc.write(eventFd, one, 8);
        }
    }

    boolean hasPending() {
        return !queue.isEmpty();
    }

    /** How many runnables are queued now: the phase runs only those. */
    int pendingCount() {
        return queue.size();
    }

    Runnable poll() {
        return queue.relaxedPoll();
    }

    /** Like {@link #poll} but null only when the queue is empty: for the drain at close. */
    Runnable pollAll() {
        return queue.poll();
    }

    /**
     * Called right before a blocking wait.
     *
     * @return false when a runnable arrived meanwhile, so the wait must not block
     */
    boolean prepareToSleep() {
        gate.set(SLEEPING);
        if (!queue.isEmpty()) {
            gate.set(AWAKE);
            return false;
        }
        return true;
    }

    /** Called after the wait; the eventfd itself is drained when the poller reports it. */
    void awake() {
        gate.set(AWAKE);
    }

    void drainEventFd() {
        Libc.read(eventFd, drainBuffer, 8);
    }

    /**
     * Refuses every later {@link #execute} and waits for the producers already admitted to
     * finish their offer: then the queue holds every runnable that will ever be accepted.
     * Loop thread, once, at close. The wait is a few instructions long (an offer).
     */
    void seal() {
        admission.getAndAdd(SEALED);
        while (admission.get() != SEALED) {
            Thread.onSpinWait();
        }
    }

    synchronized void close() {
        closed = true;
        if (!queue.isEmpty()) throw new IllegalStateException("closing with runnables that never ran");
        Libc.close(eventFd);
        arena.close();
    }
}
