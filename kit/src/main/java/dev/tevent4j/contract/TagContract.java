package dev.tevent4j.contract;

import dev.tevent4j.FdEvent;
import dev.tevent4j.Immediate;
import dev.tevent4j.QueueEntry;
import dev.tevent4j.Request;
import dev.tevent4j.RequestQueue;
import dev.tevent4j.SignalEvent;
import dev.tevent4j.TimerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** uint64 tags on every event kind (tevent_fd_set_tag and the others), as trace callbacks see them. */
public abstract class TagContract extends LoopContract {

    @Test
    void everyKindStartsWithTagZeroAndKeepsTheTagItIsGivenAllSixtyFourBits() {
        int[] sp = socketpair();
        FdEvent fde = loop.addFd(sp[0], FdEvent.READ, (e, f) -> { });
        TimerEvent te = loop.addTimer(Duration.ofHours(1), (t, now) -> { });
        Immediate im = loop.newImmediate(() -> { });
        SignalEvent se = loop.addSignal("WINCH", (e, s, c) -> { });
        QueueEntry qe = new RequestQueue(loop, "q").addEntry(Request.create(loop), r -> { });
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), List.of(fde.tag(), te.tag(), im.tag(), se.tag(), qe.tag()));
        fde.setTag(-1L);
        te.setTag(Long.MIN_VALUE);
        im.setTag(1L << 40);
        se.setTag(7);
        qe.setTag(0xdeadbeefcafeL);
        assertEquals(List.of(-1L, Long.MIN_VALUE, 1L << 40, 7L, 0xdeadbeefcafeL),
                List.of(fde.tag(), te.tag(), im.tag(), se.tag(), qe.tag()));
        assertTrue(fde.toString().contains("tag -1"), fde.toString());
        se.close();
        fde.close();
        fde.setTag(5); // a closed event keeps a tag: a DETACH trace may still read it
        assertEquals(5, fde.tag());
    }

    @Test
    void traceCallbacksSeeTheTagSetRightAfterRegistrationAtEveryLaterPoint() {
        int[] sp = socketpair();
        List<String> got = new ArrayList<>();
        loop.setFdTrace((e, p) -> got.add("fd " + p + " " + e.tag()));
        loop.setTimerTrace((t, p) -> got.add("timer " + p + " " + t.tag()));
        FdEvent fde = loop.addFd(sp[0], FdEvent.READ, (e, f) -> { Fds.read(sp[0], 1); e.close(); });
        fde.setTag(42);
        TimerEvent te = loop.addTimer(Duration.ZERO, (t, now) -> { });
        te.setTag(43);
        Fds.write(sp[1], (byte) 1);
        loop.run();
        assertEquals(List.of("fd ATTACH 0", "timer ATTACH 0", "timer BEFORE_HANDLER 43", "timer DETACH 43",
                "fd BEFORE_HANDLER 42", "fd DETACH 42"), got);
    }

    @Test
    void queueEntryTagIsVisibleToTheQueueTrace() {
        RequestQueue q = new RequestQueue(loop, "tagged");
        List<String> got = new ArrayList<>();
        loop.setQueueTrace((e, p) -> got.add(p + " " + e.tag()));
        Request<Void> r = Request.create(loop);
        q.addEntry(r, x -> r.done(null)).setTag(99);
        loop.runUntil(() -> !r.isInProgress());
        assertEquals(List.of("ATTACH 0", "TRIGGER 99", "DETACH 99"), got);
    }

    @Test
    void setTagFromAnotherThreadIsRefused() throws InterruptedException {
        TimerEvent te = loop.addTimer(Duration.ofHours(1), (t, now) -> { });
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                te.setTag(1);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.start();
        t.join();
        assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        assertEquals(0, te.tag());
        assertThrows(NullPointerException.class, () -> new RequestQueue(loop, null));
    }
}
