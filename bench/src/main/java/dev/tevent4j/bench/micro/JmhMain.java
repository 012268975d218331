package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.List;

/**
 * JMH's command line, with one addition: unless {@code -p backend=...} is given, every benchmark
 * runs once per backend usable here ({@link EventLoop#backends()}), so a new backend is measured
 * without touching a benchmark.
 */
public final class JmhMain {
    private JmhMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, java.io.IOException {
        CommandLineOptions cmd = new CommandLineOptions(args);
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats() || cmd.shouldListWithParams()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = cmd;
        if (!cmd.getParameter("backend").hasValue()) {
            List<String> backends = EventLoop.backends();
            System.out.println("# tevent4j backends usable here: " + backends);
            options = new OptionsBuilder().parent(cmd).param("backend", backends.toArray(String[]::new)).build();
        }
        new Runner(options).run();
    }
}
