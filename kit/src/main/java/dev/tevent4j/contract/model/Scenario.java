package dev.tevent4j.contract.model;

import java.util.ArrayList;
import java.util.List;

/** A scenario's observable outcome: per action, what was called and the state afterwards. */
public final class Scenario {
    /** How many socketpairs a scenario plays on. */
    public static final int PAIRS = 3;

    private Scenario() {}

    /**
     * A handler call or close fn, keyed so one iteration's calls compare independently of the
     * order in which the kernel reported the fds: within an iteration, immediates and timers keep
     * their order (key 0), fd-phase records sort by pair (key 1 + pair), stable within a pair.
     */
    public record Call(int key, String text) {}

    /** Sorts a step's calls into their canonical order. */
    public static List<String> canonical(List<Call> calls) {
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort(java.util.Comparator.comparingInt(Call::key));
        List<String> out = new ArrayList<>(sorted.size());
        for (Call c : sorted) out.add(c.text());
        return out;
    }

    /** One line per action: "calls [..] state ..". */
    public static String line(List<Call> calls, String state) {
        return "calls " + canonical(calls) + " | " + state;
    }

    /** Compares two outcomes and, on the first difference, explains it step by step. */
    public static void assertSame(String leftName, List<String> left, String rightName, List<String> right,
                                  List<Action> actions) {
        int n = Math.min(left.size(), right.size());
        for (int i = 0; i < n; i++) {
            if (!left.get(i).equals(right.get(i))) {
                throw new AssertionError(explain(i, leftName, left, rightName, right, actions));
            }
        }
        if (left.size() != right.size()) {
            throw new AssertionError(explain(n, leftName, left, rightName, right, actions));
        }
    }

    private static String explain(int at, String leftName, List<String> left, String rightName, List<String> right,
                                  List<Action> actions) {
        StringBuilder sb = new StringBuilder("outcomes differ at step ").append(at).append(":\n");
        for (int i = 0; i <= at && i < actions.size(); i++) {
            sb.append(String.format("  %2d %-40s %s%n", i, actions.get(i), i < left.size() ? left.get(i) : "-"));
        }
        sb.append("  ").append(leftName).append(" at step ").append(at).append(": ")
                .append(at < left.size() ? left.get(at) : "-").append('\n');
        sb.append("  ").append(rightName).append(" at step ").append(at).append(": ")
                .append(at < right.size() ? right.get(at) : "-");
        return sb.toString();
    }
}
