package dev.tevent4j.bench.soak;

import java.util.Arrays;

/**
 * {@code bin/tevent4j bench soak}: the mixed soak on each backend, each in a child JVM
 * ({@link ChildRunner}); with {@code --child} (what the parent passes) one backend in this JVM
 * ({@link SoakRun}). Exit 0 when nothing was lost, duplicated or reordered and no fd or thread
 * leaked; 1 otherwise; 2 for a bad command line.
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(SoakOptions.USAGE);
            return;
        }
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!options.child()) {
            System.exit(ChildRunner.runAll(options, System.out));
            return;
        }
        if (options.backends().size() != 1) {
            System.err.println("soak: --child runs one backend, not " + options.backends());
            System.exit(2);
        }
        String backend = options.backends().getFirst();
        SoakResult result;
        try {
            result = SoakRun.run(backend, options);
        } catch (UnsupportedOperationException e) {
            System.out.println("soak: backend " + backend + " skipped: " + e.getMessage());
            System.exit(ChildRunner.EXIT_UNUSABLE);
            return;
        }
        result.print(System.out);
        System.out.println(result.summaryLine());
        System.out.flush();
        // exit, not return: the JVM must not wait for any thread a leak left behind.
        System.exit(result.passed() ? 0 : 1);
    }
}
