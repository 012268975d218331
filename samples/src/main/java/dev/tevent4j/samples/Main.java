package dev.tevent4j.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Entry point of {@code bin/tevent4j}: one subcommand per sample or tool. */
@Command(name = "tevent4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "tevent-style event loops for Java 25 on Linux: samples and tools.",
        subcommands = {BackendsCommand.class, EchoServer.class, EchoClient.class, FileServe.class, FileGet.class, FileServeRef.class, Httpd.class, ProfileCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "bin/tevent4j bench [--quick] runs the macro benchmark instead (bench/bench.sh,"
                + " docs/benchmarks.md); bench/jmh.sh runs the JMH micro-benchmarks.",
                "bin/tevent4j bench fileserve | bench httpd | bench smb compare the sample servers (docs/benchmarks.md);"
                + " the samples: docs/samples.md."})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the rules every sample shares: bad input, an unknown or unusable
     * backend and a port in use are one line on stderr and exit code 2, not a stack trace; and
     * {@code -V}/{@code --version} work on every subcommand too.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        IVersionProvider version = new VersionProvider();
        for (CommandLine sub : cl.getSubcommands().values()) sub.getCommandSpec().versionProvider(version);
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            // UnsupportedOperationException: a backend that passed the check failed to open.
            if (e instanceof IllegalArgumentException || e instanceof java.io.IOException || e instanceof UnsupportedOperationException) {
                c.getErr().println(c.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
