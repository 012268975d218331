package dev.tevent4j.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/tevent4j}: one subcommand per sample or tool. */
@Command(name = "tevent4j", mixinStandardHelpOptions = true,
        description = "tevent-style event loops for Java 25 on Linux: samples and tools.",
        subcommands = {BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
