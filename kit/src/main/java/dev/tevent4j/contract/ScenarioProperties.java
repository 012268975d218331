package dev.tevent4j.contract;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.contract.model.Action;
import dev.tevent4j.contract.model.Action.FdReaction;
import dev.tevent4j.contract.model.Action.ImmediateReaction;
import dev.tevent4j.contract.model.Action.TimerReaction;
import dev.tevent4j.contract.model.LoopModel;
import dev.tevent4j.contract.model.Scenario;
import dev.tevent4j.contract.model.ScenarioRunner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based conformance: random scenarios of fd events on socketpairs, timers and
 * immediates, checked against {@link LoopModel} (the contract as a small program) and across
 * every backend present. jqwik prints the seed of a failing run and shrinks it to a minimal
 * scenario whose actions print readably; the assertion message lists it step by step with the
 * expected and observed calls. A backend module runs these by subclassing, like the contracts.
 */
public abstract class ScenarioProperties {

    /** The backend under test, e.g. "epoll". */
    protected abstract String backend();

    private void matchesModel(List<Action> actions) {
        List<String> expected = LoopModel.expected(actions);
        List<String> observed = ScenarioRunner.observed(backend(), actions);
        Scenario.assertSame("model", expected, backend(), observed, actions);
    }

    @Property(tries = 1000)
    void fdEventsFollowTheModel(@ForAll("fdScenarios") List<Action> actions) {
        matchesModel(actions);
    }

    @Property(tries = 1000)
    void timersFollowTheModel(@ForAll("timerScenarios") List<Action> actions) {
        matchesModel(actions);
    }

    @Property(tries = 1000)
    void immediatesFollowTheModel(@ForAll("immediateScenarios") List<Action> actions) {
        matchesModel(actions);
    }

    @Property(tries = 1000)
    void mixedScenariosFollowTheModel(@ForAll("mixedScenarios") List<Action> actions) {
        matchesModel(actions);
    }

    /**
     * Differential: the same scenario on every backend usable here gives the same trace of
     * handler calls (within an iteration, fd calls compare by fd: the kernel's report order is
     * not part of the contract), and that trace is the model's.
     */
    @Property(tries = 1000)
    void everyBackendGivesTheSameTrace(@ForAll("mixedScenarios") List<Action> actions) {
        List<String> backends = EventLoop.backends();
        assertTrue(backends.contains(backend()), backends + " lacks " + backend());
        List<String> first = ScenarioRunner.observed(backends.getFirst(), actions);
        for (String other : backends.subList(1, backends.size())) {
            Scenario.assertSame(backends.getFirst(), first, other, ScenarioRunner.observed(other, actions), actions);
        }
        Scenario.assertSame("model", LoopModel.expected(actions), backends.getFirst(), first, actions);
    }

    /** Whatever a scenario does, closing its loop and fds gives every fd back. */
    @Property(tries = 1000)
    void scenariosLeakNoFd(@ForAll("mixedScenarios") List<Action> actions) {
        int before = Fds.openFdCount();
        ScenarioRunner.observed(backend(), actions);
        assertEquals(before, Fds.openFdCount(), "open fds before and after the scenario");
    }

    /**
     * Round-robin (tevent-semantics.md section 2): with N events whose flags all meet what
     * fires on a readable, writable socket (READ or WRITE in each; ERROR alone does not fire
     * there), each is called once in any N consecutive dispatches, whatever their flags and
     * order.
     */
    @Property(tries = 1000)
    void roundRobinCallsEachEligibleEventOnceInAnyNConsecutiveDispatches(
            @ForAll("eligibleFlags") List<Integer> flags,
            @ForAll @IntRange(min = 1, max = 12) int dispatches) {
        try (EventLoop loop = EventLoop.open(backend())) {
            int[] sp = Fds.socketpair();
            try {
                Fds.write(sp[1], (byte) 1);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < flags.size(); i++) {
                    int id = i;
                    loop.addFd(sp[0], flags.get(i), (fde, fired) -> {
                        assertEquals(fired, fired & fde.flags(), "only asked-for flags");
                        order.add(id);
                    });
                }
                for (int i = 0; i < dispatches; i++) loop.runOnce();
                assertEquals(dispatches, order.size(), "one event per fd per iteration");
                int n = flags.size();
                for (int s = 0; s + n <= order.size(); s++) {
                    assertEquals(n, new HashSet<>(order.subList(s, s + n)).size(), "window " + s + " of " + order);
                }
            } finally {
                Fds.close(sp[0]);
                Fds.close(sp[1]);
            }
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<Integer>> eligibleFlags() {
        return Arbitraries.of(1, 2, 3, 5, 6, 7).list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<Integer> pair() {
        return Arbitraries.integers().between(0, Scenario.PAIRS - 1);
    }

    private static Arbitrary<Integer> ref() {
        return Arbitraries.integers().between(0, 7);
    }

    private static Arbitrary<Integer> fdFlags() {
        return Arbitraries.integers().between(0, FdEvent.READ | FdEvent.WRITE | FdEvent.ERROR);
    }

    private static Arbitrary<Action> fdActions() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(pair(), fdFlags(), Arbitraries.of(FdReaction.class)).as(Action.AddFd::new)),
                Tuple.of(1, ref().map(Action.CloseFd::new)),
                Tuple.of(2, Combinators.combine(ref(), fdFlags()).as(Action.SetFlags::new)),
                Tuple.of(2, pair().map(Action.PeerWrite::new)),
                Tuple.of(1, pair().map(Action.Drain::new)),
                Tuple.of(1, pair().map(Action.PeerShutdown::new)),
                Tuple.of(1, pair().map(Action.PeerClose::new)));
    }

    private static Arbitrary<Action> timerActions() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, 3);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(slot, Arbitraries.of(true, true, false), Arbitraries.of(TimerReaction.class))
                        .as(Action.AddTimer::new)),
                Tuple.of(2, Combinators.combine(ref(), slot, Arbitraries.of(true, false)).as(Action.UpdateTimer::new)),
                Tuple.of(1, ref().map(Action.CancelTimer::new)));
    }

    private static Arbitrary<Action> immediateActions() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(ImmediateReaction.class).map(Action.NewImmediate::new)),
                Tuple.of(2, ref().map(Action.ScheduleImmediate::new)),
                Tuple.of(1, ref().map(Action.CancelImmediate::new)));
    }

    private static Arbitrary<Action> runOnce() {
        return Arbitraries.just(new Action.RunOnce());
    }

    private static Arbitrary<List<Action>> scenario(Arbitrary<Action> actions) {
        return Arbitraries.frequencyOf(Tuple.of(3, actions), Tuple.of(2, runOnce()))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Action>> fdScenarios() {
        return scenario(fdActions());
    }

    @Provide
    Arbitrary<List<Action>> timerScenarios() {
        return scenario(Arbitraries.frequencyOf(Tuple.of(4, timerActions()), Tuple.of(1, immediateActions())));
    }

    @Provide
    Arbitrary<List<Action>> immediateScenarios() {
        return scenario(Arbitraries.frequencyOf(Tuple.of(4, immediateActions()), Tuple.of(1, timerActions())));
    }

    @Provide
    Arbitrary<List<Action>> mixedScenarios() {
        return scenario(Arbitraries.oneOf(fdActions(), timerActions(), immediateActions()));
    }
}
