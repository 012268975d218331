package dev.tevent4j.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code bin/tevent4j bench soak}.
 *
 * @param seconds the measured window per backend
 * @param warmupSeconds traffic before the "start" reading of fds, threads and RSS
 * @param deadlines whether AsyncIo recvs and nops get {@code Request.setEndTime} deadlines
 * @param backends the backends to run, in order
 * @param child run one backend in this JVM (what the parent starts per backend)
 * @param seed the random seed (timing still varies from run to run)
 */
record SoakOptions(double seconds, double warmupSeconds, boolean deadlines, List<String> backends, boolean child, long seed) {
    static final List<String> ALL_BACKENDS = List.of("epoll", "hybrid", "uring");
    static final double DEFAULT_SECONDS = 60, QUICK_SECONDS = 5;
    /** How long the drain waits for what was sent to arrive before counting the rest lost. */
    static final double DRAIN_SECONDS = 5;

    static final String USAGE = """
            usage: bin/tevent4j bench soak [--seconds N | --quick] [--warmup N] [--backend a,b] [--no-deadlines] [--seed N]
              Runs the mixed soak (pingpong fd events, timers, immediates, executor, AsyncIo nops
              and recv/send) in a child JVM (-Xmx64m) per backend, and fails if an event was lost,
              duplicated or reordered, or fds or threads grew.
              --seconds N     measured seconds per backend (default 60); --quick = 5
              --warmup N      seconds of traffic before the start reading (default: a tenth, 1..5)
              --backend a,b   only these (default: epoll,hybrid,uring; unusable ones are skipped)
              --no-deadlines  no Request.setEndTime deadlines on AsyncIo requests
              --seed N        random seed""";

    SoakOptions {
        if (!(seconds > 0)) throw new IllegalArgumentException("--seconds " + seconds + " is not positive");
        if (!(warmupSeconds >= 0)) throw new IllegalArgumentException("--warmup " + warmupSeconds + " is negative");
        if (backends.isEmpty()) throw new IllegalArgumentException("--backend names no backend");
        backends = List.copyOf(backends);
    }

    static double defaultWarmup(double seconds) {
        return Math.min(5, Math.max(1, seconds / 10));
    }

    /** @throws IllegalArgumentException naming the bad argument */
    static SoakOptions parse(String[] args) {
        double seconds = DEFAULT_SECONDS;
        Double warmup = null;
        boolean deadlines = true, child = false;
        List<String> backends = ALL_BACKENDS;
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seconds" -> seconds = number(args, ++i, a);
                case "--quick" -> seconds = QUICK_SECONDS;
                case "--warmup" -> warmup = number(args, ++i, a);
                case "--backend", "--backends" -> backends = names(value(args, ++i, a));
                case "--no-deadlines" -> deadlines = false;
                case "--deadlines" -> deadlines = true;
                case "--child" -> child = true;
                case "--seed" -> seed = (long) number(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown argument \"" + a + "\"\n" + USAGE);
            }
        }
        return new SoakOptions(seconds, warmup != null ? warmup : defaultWarmup(seconds), deadlines, backends, child, seed);
    }

    /** The arguments that make a child run {@code backend} with these options. */
    List<String> childArgs(String backend) {
        List<String> a = new ArrayList<>(List.of("--child", "--backend", backend, "--seconds", Double.toString(seconds),
                "--warmup", Double.toString(warmupSeconds), "--seed", Long.toString(seed)));
        if (!deadlines) a.add("--no-deadlines");
        return a;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        return args[i];
    }

    private static double number(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " \"" + v + "\" is not a number");
        }
    }

    private static List<String> names(String csv) {
        List<String> out = new ArrayList<>();
        for (String n : csv.split(",")) if (!n.isBlank()) out.add(n.trim());
        return out;
    }
}
