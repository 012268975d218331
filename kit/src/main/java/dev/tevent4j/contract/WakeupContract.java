package dev.tevent4j.contract;

import dev.tevent4j.Request;
import dev.tevent4j.RequestState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request.wakeup (tevent_wakeup_send/recv): completes at a time, cancellable. */
public abstract class WakeupContract extends LoopContract {

    @Test
    void wakeupCompletesNoEarlierThanItsDeadlineWithTheTimeItWoke() {
        long deadline = System.nanoTime() + Duration.ofMillis(20).toNanos();
        Request<Long> w = Request.wakeup(loop, deadline);
        assertTrue(w.isInProgress());
        long woke = w.await();
        assertTrue(woke >= deadline, "woke " + (deadline - woke) + " ns early");
        assertTrue(System.nanoTime() >= deadline);
        assertEquals(RequestState.DONE, w.state(), "a wake-up is a success, as tevent_wakeup_recv makes it");
    }

    @Test
    void wakeupInThePastCompletesOnTheNextIteration() {
        Request<Long> w = Request.wakeup(loop, System.nanoTime() - 1_000_000);
        int[] calls = {0};
        w.onComplete(r -> calls[0]++);
        assertEquals(0, calls[0]);
        loop.runOnce();
        assertEquals(1, calls[0]);
    }

    @Test
    void cancelledWakeupFailsAndLeavesNothingThatKeepsTheLoopRunning() {
        Request<Long> w = Request.wakeup(loop, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        assertTrue(w.cancel());
        assertInstanceOf(CancellationException.class, w.cause());
        long t0 = System.nanoTime();
        loop.run();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the timer was disarmed");
    }

    @Test
    void setEndTimeMovesTheWakeupTime() {
        Request<Long> w = Request.wakeup(loop, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        w.setEndTime(System.nanoTime());
        runUntilOrFail(() -> !w.isInProgress());
        assertEquals(RequestState.DONE, w.state());
        assertFalse(w.isError());
    }
}
