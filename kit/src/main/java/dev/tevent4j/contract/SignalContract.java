package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.SignalEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signal events with real signals sent to this process by kill(2). The tests use WINCH and URG,
 * whose default action is to ignore them, so a late arrival after a handler was restored cannot
 * end the test JVM.
 */
@Timeout(30)
public abstract class SignalContract extends LoopContract {
    private static final String WINCH = "WINCH", URG = "URG";

    /** Replaces the JVM's handler for a moment to see which one is installed, then puts it back. */
    private static sun.misc.SignalHandler installedHandler(String name) {
        sun.misc.Signal sig = new sun.misc.Signal(name);
        sun.misc.SignalHandler current = sun.misc.Signal.handle(sig, sun.misc.SignalHandler.SIG_IGN);
        sun.misc.Signal.handle(sig, current);
        return current;
    }

    @Test
    void signalRunsItsHandlerOnTheLoopThreadWithTheArrivalCount() {
        List<Integer> counts = new ArrayList<>();
        Thread[] ranOn = {null};
        SignalEvent se = loop.addSignal(WINCH, (e, signum, count) -> {
            ranOn[0] = Thread.currentThread();
            counts.add(count);
            assertEquals(Signals.number(WINCH), signum);
        });
        assertEquals(Signals.number(WINCH), se.signum());
        Signals.raise(WINCH);
        runUntilOrFail(() -> !counts.isEmpty());
        assertEquals(List.of(1), counts);
        assertSame(Thread.currentThread(), ranOn[0]);
        se.close();
        assertEquals(List.of(), uncaught);
    }

    @Test
    void signalWakesALoopBlockedInItsWait() throws Exception {
        int[] heard = {0};
        loop.addSignal(WINCH, (e, signum, count) -> { heard[0] += count; e.close(); });
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            Signals.raise(WINCH);
        });
        sender.start();
        loop.run(); // nothing but the signal event: blocks in the wait until the signal arrives
        sender.join();
        assertEquals(1, heard[0]);
    }

    @Test
    void signalEventKeepsRunGoingUntilItIsClosed() {
        int[] heard = {0};
        loop.addSignal(WINCH, (e, signum, count) -> { heard[0] += count; e.close(); });
        Signals.raise(WINCH);
        loop.run();
        assertEquals(1, heard[0]);
        assertFalse(loop.runOnce(), "nothing registered once the signal event closed");
    }

    @Test
    void arrivalsWhileTheLoopDidNotRunCoalesceIntoOneCallWithTheirCount() {
        List<Integer> counts = new ArrayList<>();
        SignalEvent se = loop.addSignal(WINCH, (e, signum, count) -> counts.add(count));
        try (Signals.Observer observer = new Signals.Observer(backend(), WINCH)) {
            for (int i = 0; i < 3; i++) {
                Signals.raise(WINCH);
                observer.awaitHeard(i + 1); // each one dispatched before the next: none lost in the kernel
            }
        }
        loop.runOnce();
        assertEquals(List.of(3), counts);
        se.close();
    }

    @Test
    void severalHandlersForOneSignalRunInRegistrationOrder() {
        List<String> calls = new ArrayList<>();
        SignalEvent a = loop.addSignal(WINCH, (e, s, c) -> calls.add("a" + c));
        SignalEvent b = loop.addSignal("SIGWINCH", (e, s, c) -> calls.add("b" + c));
        SignalEvent c = loop.addSignal(WINCH, (e, s, n) -> calls.add("c" + n));
        Signals.raise(WINCH);
        runUntilOrFail(() -> calls.size() == 3);
        assertEquals(List.of("a1", "b1", "c1"), calls);
        a.close();
        b.close();
        c.close();
    }

    @Test
    void pendingSignalsRunInAscendingSignalNumber() {
        assertTrue(Signals.number(URG) < Signals.number(WINCH));
        List<String> calls = new ArrayList<>();
        SignalEvent w = loop.addSignal(WINCH, (e, s, c) -> calls.add(WINCH));
        SignalEvent u = loop.addSignal(URG, (e, s, c) -> calls.add(URG));
        try (Signals.Observer observer = new Signals.Observer(backend(), WINCH, URG)) {
            Signals.raise(WINCH);
            observer.awaitHeard(1);
            Signals.raise(URG);
            observer.awaitHeard(2);
        }
        loop.runOnce();
        assertEquals(List.of(URG, WINCH), calls);
        w.close();
        u.close();
    }

    @Test
    void everyLoopThatRegisteredASignalHearsEachArrival() {
        int[] heard = {0};
        SignalEvent se = loop.addSignal(WINCH, (e, s, c) -> heard[0] += c);
        try (Signals.Observer observer = new Signals.Observer(backend(), WINCH)) {
            Signals.raise(WINCH);
            observer.awaitHeard(1);
            Signals.raise(WINCH);
            observer.awaitHeard(2);
        }
        runUntilOrFail(() -> heard[0] == 2);
        se.close();
    }

    @Test
    void handlerAddedAfterAnArrivalDoesNotHearIt() {
        List<String> calls = new ArrayList<>();
        SignalEvent a = loop.addSignal(WINCH, (e, s, c) -> calls.add("a" + c));
        try (Signals.Observer observer = new Signals.Observer(backend(), WINCH)) {
            Signals.raise(WINCH);
            observer.awaitHeard(1);
        }
        SignalEvent b = loop.addSignal(WINCH, (e, s, c) -> calls.add("b" + c));
        loop.runOnce();
        assertEquals(List.of("a1"), calls);
        a.close();
        b.close();
    }

    @Test
    void closedSignalEventIsNeverCalled() {
        List<String> calls = new ArrayList<>();
        SignalEvent a = loop.addSignal(WINCH, (e, s, c) -> calls.add("a"));
        SignalEvent b = loop.addSignal(WINCH, (e, s, c) -> calls.add("b"));
        a.close();
        a.close();
        Signals.raise(WINCH);
        runUntilOrFail(() -> !calls.isEmpty());
        assertEquals(List.of("b"), calls);
        b.close();
    }

    @Test
    void handlerMayCloseALaterHandlerOfTheSameSignal() {
        List<String> calls = new ArrayList<>();
        SignalEvent[] b = {null};
        SignalEvent a = loop.addSignal(WINCH, (e, s, c) -> { calls.add("a"); b[0].close(); });
        b[0] = loop.addSignal(WINCH, (e, s, c) -> calls.add("b"));
        Signals.raise(WINCH);
        runUntilOrFail(() -> !calls.isEmpty());
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.runOnce();
        assertEquals(List.of("a"), calls);
        a.close();
    }

    @Test
    void closingTheLastSignalEventRestoresTheJvmsPreviousHandler() {
        sun.misc.Signal sig = new sun.misc.Signal(URG);
        sun.misc.SignalHandler mine = s -> { };
        sun.misc.SignalHandler original = sun.misc.Signal.handle(sig, mine);
        try {
            SignalEvent a = loop.addSignal(URG, (e, s, c) -> { });
            SignalEvent b = loop.addSignal(URG, (e, s, c) -> { });
            assertNotSame(mine, installedHandler(URG));
            a.close();
            assertNotSame(mine, installedHandler(URG), "one event is still open");
            b.close();
            assertSame(mine, installedHandler(URG));
        } finally {
            sun.misc.Signal.handle(sig, original);
        }
    }

    @Test
    void theJvmHandlerIsRestoredOnlyWhenTheLastLoopClosesItsEvents() {
        sun.misc.Signal sig = new sun.misc.Signal(URG);
        sun.misc.SignalHandler mine = s -> { };
        sun.misc.SignalHandler original = sun.misc.Signal.handle(sig, mine);
        try (EventLoop other = EventLoop.open(backend())) {
            SignalEvent a = loop.addSignal(URG, (e, s, c) -> { });
            other.addSignal(URG, (e, s, c) -> { });
            a.close();
            assertNotSame(mine, installedHandler(URG), "the other loop still handles it");
            other.close();
            assertSame(mine, installedHandler(URG));
        } finally {
            sun.misc.Signal.handle(sig, original);
        }
    }

    @Test
    void loopCloseClosesItsSignalEventsAndRestoresTheHandler() {
        sun.misc.Signal sig = new sun.misc.Signal(URG);
        sun.misc.SignalHandler mine = s -> { };
        sun.misc.SignalHandler original = sun.misc.Signal.handle(sig, mine);
        try {
            SignalEvent a = loop.addSignal(URG, (e, s, c) -> { });
            loop.close();
            assertSame(mine, installedHandler(URG));
            a.close(); // close() of an event of a closed loop is a no-op
        } finally {
            sun.misc.Signal.handle(sig, original);
            loop = EventLoop.open(backend());
        }
    }

    @Test
    void quitIsRefusedNamingTheSignal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignal("QUIT", (s, n, c) -> { }));
        assertTrue(e.getMessage().contains("QUIT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loop.addSignal("SIGQUIT", (s, n, c) -> { }));
        assertTrue(e.getMessage().contains("QUIT"), e.getMessage());
    }

    @Test
    void signalsTheJvmOrTheOsKeepAreRefusedNamingTheSignal() {
        for (String name : List.of("SEGV", "KILL", "STOP")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignal(name, (s, n, c) -> { }), name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertFalse(loop.runOnce(), "a refused signal leaves nothing registered");
    }

    @Test
    void unknownSignalNameIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.addSignal("NOSUCH", (s, n, c) -> { }));
        assertTrue(e.getMessage().contains("NOSUCH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.addSignal("SIG", (s, n, c) -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.addSignal("", (s, n, c) -> { }));
    }

    @Test
    void namesWorkWithAndWithoutTheSigPrefix() {
        SignalEvent a = loop.addSignal("HUP", (s, n, c) -> { });
        SignalEvent b = loop.addSignal("SIGHUP", (s, n, c) -> { });
        assertEquals(1, a.signum());
        assertEquals(1, b.signum());
        a.close();
        b.close();
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertTrue(assertThrows(NullPointerException.class, () -> loop.addSignal(null, (s, n, c) -> { })).getMessage().contains("name"));
        assertTrue(assertThrows(NullPointerException.class, () -> loop.addSignal(WINCH, null)).getMessage().contains("handler"));
        assertFalse(loop.runOnce());
    }

    @Test
    void handlerThatThrowsIsReportedAndTheLoopGoesOn() {
        int[] later = {0};
        SignalEvent a = loop.addSignal(WINCH, (e, s, c) -> { throw new IllegalStateException("handler bug"); });
        SignalEvent b = loop.addSignal(WINCH, (e, s, c) -> later[0]++);
        Signals.raise(WINCH);
        runUntilOrFail(() -> later[0] == 1);
        assertEquals(1, uncaught.size());
        a.close();
        b.close();
    }

    @Test
    void addSignalOnAClosedLoopIsRefused() {
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.addSignal(WINCH, (s, n, c) -> { }));
        loop = EventLoop.open(backend());
    }
}
