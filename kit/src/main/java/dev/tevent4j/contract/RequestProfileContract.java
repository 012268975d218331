package dev.tevent4j.contract;

import dev.tevent4j.Request;
import dev.tevent4j.RequestProfile;
import dev.tevent4j.RequestState;
import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request profiling (tevent_req_profile): per loop, a tree of sub-requests, printable. */
public abstract class RequestProfileContract extends LoopContract {

    @Test
    void profilingIsOffByDefaultAndMakesNoProfile() {
        assertFalse(Request.isProfiling(loop));
        Request<String> r = Request.create(loop, "x");
        assertNull(r.profile());
        assertNull(Request.createChild(r, "child").profile(), "a child of an unprofiled parent is not profiled");
    }

    @Test
    void profileRecordsStartStopStateAndTheSubRequestTree() {
        Request.enableProfiling(loop);
        assertTrue(Request.isProfiling(loop));
        Request<String> root = Request.create(loop, "exchange");
        Request<Integer> connect = Request.createChild(root, "connect");
        Request<Integer> write = Request.createChild(root, "write");
        Request<Integer> inner = Request.createChild(write, "write chunk");
        RequestProfile p = root.profile();
        assertEquals("exchange", p.name());
        assertEquals(RequestState.IN_PROGRESS, p.state());
        assertEquals(-1, p.stopNanos());
        connect.done(3);
        inner.errno(Errno.EPIPE);
        write.error(inner.cause());
        root.done("ok");
        assertEquals(List.of("connect", "write"), p.subprofiles().stream().map(RequestProfile::name).toList());
        assertSame(p, connect.profile().parent());
        assertSame(write.profile(), inner.profile().parent());
        assertEquals(RequestState.DONE, p.state());
        assertTrue(p.stopNanos() >= p.startNanos());
        assertEquals(RequestState.ERROR, inner.profile().state());
        assertEquals(Errno.EPIPE, inner.profile().errno());

        String[] lines = p.print().split("\n");
        assertEquals(4, lines.length, p.print());
        assertTrue(lines[0].startsWith("[exchange] +0.000000 -> +"), lines[0]);
        assertTrue(lines[0].endsWith("-> DONE (0)"), lines[0]);
        assertTrue(lines[1].startsWith("  [connect]"), lines[1]);
        assertTrue(lines[3].startsWith("    [write chunk]"), lines[3]);
        assertTrue(lines[3].endsWith("-> ERROR (" + Errno.EPIPE + ")"), lines[3]);
        assertEquals(3, p.print(1).split("\n").length, "maxDepth 1 leaves out the grandchild");
        assertEquals(1, p.print(0).split("\n").length);
    }

    @Test
    void profileOfARequestInProgressPrintsQuestionMarks() {
        Request.enableProfiling(loop);
        Request<String> r = Request.create(loop);
        assertTrue(r.profile().print().contains("-> +? [?] -> IN_PROGRESS"), r.profile().print());
        assertEquals("request", r.profile().name(), "an unnamed request is profiled as \"request\"");
    }

    @Test
    void disablingProfilingAffectsOnlyRequestsCreatedAfter() {
        Request.enableProfiling(loop);
        Request<String> before = Request.create(loop);
        Request.disableProfiling(loop);
        Request<String> after = Request.create(loop);
        assertNull(after.profile());
        assertTrue(Request.createChild(before, "child").profile() != null, "a profiled parent's child is profiled");
        before.done("x");
        assertEquals(RequestState.DONE, before.profile().state());
    }

    @Test
    void loopCloseIsRecordedInTheProfile() {
        Request.enableProfiling(loop);
        Request<String> r = Request.create(loop);
        loop.close();
        assertEquals(RequestState.LOOP_CLOSED, r.profile().state());
        loop = dev.tevent4j.EventLoop.open(backend());
    }
}
