package dev.tevent4j.internal;

import dev.tevent4j.FdEvent;
import dev.tevent4j.FdHandler;
import dev.tevent4j.spi.Poller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FdEvents' bookkeeping against a scripted kernel: the live count always equals the number of
 * live events, through refusals, files closed or reused behind the loop's back, the error state
 * and handlers that change what they dispatch on.
 */
class FdEventsTest {
    private static final FdHandler NOTHING = (e, flags) -> { };

    private final Loop loop = new Loop("fake", new FakeKernelPoller());
    private final FakeKernelPoller kernel = new FakeKernelPoller();
    private final FdEvents events = new FdEvents(loop, kernel, -1);
    private final List<FdEventImpl> made = new ArrayList<>();
    private final List<Throwable> uncaught = new ArrayList<>();

    FdEventsTest() {
        loop.setUncaughtExceptionHandler((source, error) -> uncaught.add(error));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private FdEventImpl add(int fd, int flags, FdHandler h) {
        FdEventImpl e = (FdEventImpl) events.add(fd, flags, h);
        made.add(e);
        return e;
    }

    private void assertCountRight() {
        int live = 0;
        for (FdEventImpl e : made) {
            if (e.isLive()) live++;
        }
        assertEquals(live, events.live(), "live count");
    }

    @Test
    void theCountFollowsAddChangeAndClose() {
        FdEventImpl a = add(5, FdEvent.READ, NOTHING);
        FdEventImpl b = add(5, 0, NOTHING);
        assertEquals(1, events.live());
        b.setFlags(FdEvent.WRITE);
        assertEquals(2, events.live());
        assertEquals(FdEvent.READ | FdEvent.WRITE, kernel.registeredInterest(5));
        a.setFlags(0);
        assertEquals(1, events.live());
        assertEquals(FdEvent.WRITE, kernel.registeredInterest(5));
        b.close();
        a.close();
        assertEquals(0, events.live());
        assertEquals(0, kernel.registeredInterest(5));
    }

    @Test
    void aRefusedAddCountsNothingAndLeavesNoSlot() {
        kernel.set(7, FakeKernelPoller.FileState.REGULAR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> events.add(7, FdEvent.READ, NOTHING));
        assertTrue(e.getMessage().contains("EPERM"), e.getMessage());
        assertEquals(0, events.live());
        kernel.set(7, FakeKernelPoller.FileState.OPEN);
        add(7, FdEvent.READ, NOTHING);
        assertEquals(1, events.live());
    }

    @Test
    void aRefusedChangeRestoresTheFlagsAndTheCount() {
        FdEventImpl a = add(5, 0, NOTHING);
        kernel.set(5, FakeKernelPoller.FileState.REGULAR);
        assertThrows(IllegalArgumentException.class, () -> a.setFlags(FdEvent.READ));
        assertEquals(0, a.flags);
        assertEquals(0, events.live());
    }

    @Test
    void aFileClosedBehindTheLoopsBackDisarmsEveryEventOnIt() {
        FdEventImpl a = add(5, FdEvent.READ, NOTHING);
        FdEventImpl b = add(5, FdEvent.WRITE, NOTHING);
        kernel.set(5, FakeKernelPoller.FileState.CLOSED);
        a.setFlags(FdEvent.READ | FdEvent.ERROR);
        assertTrue(a.disarmed && b.disarmed);
        assertFalse(a.isClosed() || b.isClosed());
        assertEquals(0, events.live());
        a.close();
        b.close();
        assertEquals(0, events.live());
    }

    @Test
    void anEventOnAReusedNumberDisarmsTheOldOnesAndRegistersAfresh() {
        FdEventImpl old = add(5, FdEvent.READ, NOTHING);
        kernel.set(5, FakeKernelPoller.FileState.OPEN);
        FdEventImpl fresh = add(5, FdEvent.WRITE, NOTHING);
        assertTrue(old.disarmed);
        assertFalse(fresh.disarmed);
        assertEquals(1, events.live());
        assertEquals(FdEvent.WRITE, kernel.registeredInterest(5));
    }

    @Test
    void aHangupWithOnlyWritersDropsWriteAndTheRegistration() {
        int[] calls = {0};
        FdEventImpl w = add(5, FdEvent.WRITE, (e, flags) -> calls[0]++);
        events.dispatch(5, Poller.HANGUP | Poller.OUT, events.startBatch());
        assertEquals(0, calls[0]);
        assertEquals(0, w.flags);
        assertEquals(0, events.live());
        assertEquals(0, kernel.registeredInterest(5));
    }

    @Test
    void anEventAddedDuringABatchIsNotCalledInIt() {
        int[] calls = {0};
        long batch = events.startBatch();
        add(5, FdEvent.READ, (e, flags) -> calls[0]++);
        events.dispatch(5, Poller.IN, batch);
        assertEquals(0, calls[0]);
        events.dispatch(5, Poller.IN, events.startBatch());
        assertEquals(1, calls[0]);
    }

    /** Random adds, changes, closes, kernel surprises and dispatches; the count stays right. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void theCountStaysRightThroughRandomHistories(long seed) {
        Random rnd = new Random(seed);
        FdHandler handler = (e, flags) -> {
            FdEventImpl self = (FdEventImpl) e;
            if (self.disarmed || self.closed) fail("a disarmed or closed event was called: " + e);
            if ((flags & ~self.flags) != 0) fail("called with " + flags + " for flags " + self.flags);
            act(rnd, rnd.nextInt(4) == 0 ? self : null);
        };
        for (int step = 0; step < 400; step++) {
            int what = rnd.nextInt(10);
            int fd = 3 + rnd.nextInt(5);
            if (what < 3) {
                tryAdd(fd, rnd.nextInt(8), handler);
            } else if (what < 7) {
                act(rnd, null);
            } else if (what == 7) {
                FakeKernelPoller.FileState[] states = FakeKernelPoller.FileState.values();
                kernel.set(fd, states[rnd.nextInt(states.length)]);
            } else {
                int ready = rnd.nextInt(8);
                events.dispatch(fd, ready == 0 ? Poller.IN : ready, events.startBatch());
            }
            assertCountRight();
        }
        assertTrue(uncaught.isEmpty(), () -> "handlers threw: " + uncaught);
        events.closeAll();
        assertEquals(0, events.live());
        for (FdEventImpl e : made) assertTrue(e.isClosed(), e::toString);
    }

    private void tryAdd(int fd, int flags, FdHandler h) {
        try {
            add(fd, flags, h);
        } catch (IllegalArgumentException refused) {
            // a regular file or a closed number: refusals must leave the count alone
        }
    }

    /** On a random open event (or {@code self}): change its flags, or close it. */
    private void act(Random rnd, FdEventImpl self) {
        FdEventImpl e = self;
        if (e == null) {
            List<FdEventImpl> open = new ArrayList<>();
            for (FdEventImpl x : made) if (!x.isClosed()) open.add(x);
            if (open.isEmpty()) return;
            e = open.get(rnd.nextInt(open.size()));
        }
        if (e.isClosed()) return;
        if (rnd.nextInt(3) == 0) {
            e.close();
        } else {
            try {
                e.setFlags(rnd.nextInt(8));
            } catch (IllegalArgumentException refused) {
                // EPERM from a regular file: the flags were put back
            }
        }
    }
}
