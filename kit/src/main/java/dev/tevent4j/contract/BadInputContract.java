package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TimerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a clear exception at the call and the loop keeps working. */
public abstract class BadInputContract extends LoopContract {

    /** After a refused call the loop still dispatches a real fd event. */
    private void assertLoopStillWorks() {
        int[] sp = socketpair();
        Fds.write(sp[1], (byte) 1);
        List<Integer> got = new ArrayList<>();
        FdEvent e = loop.addFd(sp[0], FdEvent.READ, (fde, f) -> { got.add(f); fde.close(); });
        loop.run();
        assertEquals(List.of(FdEvent.READ), got);
        assertTrue(e.isClosed());
    }

    @Test
    void negativeFdIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> loop.addFd(-1, FdEvent.READ, (f, x) -> { }));
        assertTrue(e.getMessage().contains("fd -1"), e.getMessage());
        assertLoopStillWorks();
    }

    @Test
    void unknownFlagsAreRefused() {
        int[] sp = socketpair();
        var e = assertThrows(IllegalArgumentException.class, () -> loop.addFd(sp[0], 8, (f, x) -> { }));
        assertTrue(e.getMessage().contains("flags 8"), e.getMessage());
        FdEvent ok = loop.addFd(sp[0], FdEvent.READ, (f, x) -> { });
        assertThrows(IllegalArgumentException.class, () -> ok.setFlags(8));
        assertEquals(FdEvent.READ, ok.flags());
        ok.close();
        assertLoopStillWorks();
    }

    @Test
    void fdThatIsNotOpenIsRefused() {
        int[] sp = Fds.socketpair();
        Fds.close(sp[0]);
        Fds.close(sp[1]);
        var e = assertThrows(IllegalArgumentException.class, () -> loop.addFd(sp[0], FdEvent.READ, (f, x) -> { }));
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
        assertLoopStillWorks();
    }

    @Test
    void nullHandlersAreRefused() {
        int[] sp = socketpair();
        assertThrows(NullPointerException.class, () -> loop.addFd(sp[0], FdEvent.READ, null));
        assertThrows(NullPointerException.class, () -> loop.addTimer(Duration.ZERO, null));
        assertThrows(NullPointerException.class, () -> loop.addTimer(null, (t, n) -> { }));
        assertThrows(NullPointerException.class, () -> loop.newImmediate(null));
        assertLoopStillWorks();
    }

    @Test
    void negativeAndOverflowingDurationsAreRefused() {
        var neg = assertThrows(IllegalArgumentException.class, () -> loop.addTimer(Duration.ofMillis(-1), (t, n) -> { }));
        assertTrue(neg.getMessage().contains("negative"), neg.getMessage());
        var big = assertThrows(IllegalArgumentException.class, () -> loop.addTimer(Duration.ofSeconds(Long.MAX_VALUE), (t, n) -> { }));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
        var almost = assertThrows(IllegalArgumentException.class,
                () -> loop.addTimer(Duration.ofNanos(Long.MAX_VALUE), (t, n) -> { }));
        assertTrue(almost.getMessage().contains("overflows"), almost.getMessage());
        assertLoopStillWorks();
    }

    @Test
    void callsFromAnotherThreadAreRefused() throws Exception {
        int[] sp = socketpair();
        FdEvent fde = loop.addFd(sp[0], FdEvent.READ, (f, x) -> { });
        TimerEvent te = loop.addTimer(Duration.ofSeconds(10), (t, n) -> { });
        List<Runnable> calls = List.of(
                () -> loop.addFd(sp[1], FdEvent.READ, (f, x) -> { }),
                () -> loop.addTimer(Duration.ZERO, (t, n) -> { }),
                () -> loop.newImmediate(() -> { }),
                loop::runOnce,
                loop::close,
                () -> fde.setFlags(0),
                fde::close,
                te::cancel);
        List<String> outcomes = new ArrayList<>();
        Thread other = new Thread(() -> {
            for (Runnable call : calls) {
                try {
                    call.run();
                    outcomes.add("accepted");
                } catch (IllegalStateException e) {
                    outcomes.add(e.getMessage().contains("thread") ? "refused" : e.getMessage());
                }
            }
        });
        other.start();
        other.join();
        assertEquals(java.util.Collections.nCopies(calls.size(), "refused"), outcomes);
        assertTrue(te.isActive());
        assertEquals(FdEvent.READ, fde.flags());
        te.cancel();
        fde.close();
        assertLoopStillWorks();
    }

    @Test
    void useAfterCloseIsRefused() {
        EventLoop other = EventLoop.open(backend());
        int[] sp = socketpair();
        FdEvent fde = other.addFd(sp[0], FdEvent.READ, (f, x) -> { });
        TimerEvent te = other.addTimer(Duration.ofSeconds(1), (t, n) -> { });
        other.close();
        AtomicReference<String> msg = new AtomicReference<>();
        var e = assertThrows(IllegalStateException.class, () -> other.addFd(sp[1], FdEvent.READ, (f, x) -> { }));
        msg.set(e.getMessage());
        assertTrue(msg.get().contains("closed"), msg.get());
        assertThrows(IllegalStateException.class, other::runOnce);
        assertThrows(IllegalStateException.class, () -> other.addTimer(Duration.ZERO, (t, n) -> { }));
        assertThrows(IllegalStateException.class, () -> te.update(0));
        fde.close();
        te.cancel();
        assertLoopStillWorks();
    }

    @Test
    void unknownBackendNameListsTheUsableOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> EventLoop.open("no-such-backend"));
        assertTrue(e.getMessage().contains(backend()), e.getMessage());
    }

    @Test
    void runFromInsideAHandlerIsRefused() {
        List<String> got = new ArrayList<>();
        loop.newImmediate(() -> {
            try {
                loop.runOnce();
                got.add("accepted");
            } catch (IllegalStateException e) {
                got.add("refused");
            }
        }).schedule();
        loop.runOnce();
        assertEquals(List.of("refused"), got);
    }
}
