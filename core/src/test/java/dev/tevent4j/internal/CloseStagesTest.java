package dev.tevent4j.internal;

import dev.tevent4j.FdEvent;
import dev.tevent4j.spi.LoopServices.CloseStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The close stages: DRAIN_IO before RELEASE, each in the order added, once, a failure reported. */
class CloseStagesTest {
    private final Loop loop = new Loop("fake", new FakeKernelPoller());
    private final List<String> ran = new ArrayList<>();
    private final List<Object> reported = new ArrayList<>();

    CloseStagesTest() {
        loop.setUncaughtExceptionHandler((source, error) -> reported.add(source));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void drainIoHooksRunBeforeReleaseHooksEachInTheOrderAdded() {
        CloseStages stages = new CloseStages(loop);
        stages.add(CloseStage.RELEASE, () -> ran.add("r1"));
        stages.add(CloseStage.DRAIN_IO, () -> ran.add("d1"));
        stages.add(CloseStage.RELEASE, () -> ran.add("r2"));
        stages.add(CloseStage.DRAIN_IO, () -> ran.add("d2"));
        stages.run();
        assertEquals(List.of("d1", "d2", "r1", "r2"), ran);
    }

    @Test
    void theStagesRunOnce() {
        CloseStages stages = new CloseStages(loop);
        stages.add(CloseStage.DRAIN_IO, () -> ran.add("d"));
        stages.add(CloseStage.RELEASE, () -> ran.add("r"));
        stages.run();
        stages.run();
        assertEquals(List.of("d", "r"), ran);
    }

    @Test
    void aThrowingHookIsReportedAndTheOthersStillRun() {
        CloseStages stages = new CloseStages(loop);
        Runnable bad = () -> {
            throw new IllegalStateException("hook failed");
        };
        stages.add(CloseStage.DRAIN_IO, bad);
        stages.add(CloseStage.DRAIN_IO, () -> ran.add("d"));
        stages.add(CloseStage.RELEASE, bad);
        stages.add(CloseStage.RELEASE, () -> ran.add("r"));
        stages.run();
        assertEquals(List.of("d", "r"), ran);
        assertEquals(2, reported.size());
        assertSame(bad, reported.get(0));
        assertSame(bad, reported.get(1));
    }

    @Test
    void aHookAddedByAHookOfTheSameStageRunsInIt() {
        CloseStages stages = new CloseStages(loop);
        stages.add(CloseStage.RELEASE, () -> {
            ran.add("r1");
            stages.add(CloseStage.RELEASE, () -> ran.add("late"));
        });
        stages.add(CloseStage.RELEASE, () -> ran.add("r2"));
        stages.run();
        assertEquals(List.of("r1", "r2", "late"), ran);
    }

    @Test
    void loopCloseRunsAcceptedRunnablesThenTheStagesThenClosesTheEvents() {
        FdEvent fd = loop.addFd(5, FdEvent.READ, (e, flags) -> { });
        loop.executor().execute(() -> ran.add("runnable"));
        loop.addCloseHook(() -> ran.add("release:" + loop.isClosed() + "," + fd.isClosed()));
        loop.atClose(CloseStage.DRAIN_IO, () -> ran.add("drain:" + loop.isClosed() + "," + fd.isClosed()));
        loop.close();
        assertEquals(List.of("runnable", "drain:false,false", "release:false,false"), ran);
        assertTrue(loop.isClosed());
        assertTrue(fd.isClosed());
        loop.close();
        assertEquals(3, ran.size());
        assertTrue(reported.isEmpty());
    }
}
