package dev.tevent4j.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/tevent4j}: one subcommand per sample or tool. */
@Command(name = "tevent4j", mixinStandardHelpOptions = true,
        description = "tevent-style event loops for Java 25 on Linux: samples and tools.",
        subcommands = {BackendsCommand.class, EchoServer.class, EchoClient.class, FileServe.class, FileGet.class, FileServeRef.class, Httpd.class, CommandLine.HelpCommand.class},
        footer = {"", "bin/tevent4j bench [--quick] runs the macro benchmark instead (bench/bench.sh,"
                + " docs/benchmarks.md); bench/jmh.sh runs the JMH micro-benchmarks.",
                "bin/tevent4j bench fileserve | bench httpd compare the sample servers (docs/benchmarks.md);"
                + " the samples: docs/samples.md."})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the error rule every sample shares: bad input is one line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
                c.getErr().println(c.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
