package dev.tevent4j.samples;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code bin/tevent4j backends}: every backend found, usable or why not, and the default. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List every backend with \"usable\" or the reason it is not.")
public final class BackendsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Backend b : EventLoop.availableBackends()) {
            String status = b.usable() ? "usable" : "not usable: " + b.reason();
            String mark = b.isDefault() ? " (default)" : b.experimental() && b.usable() ? " (experimental: never the default)" : "";
            System.out.printf("%-8s %s%s%n", b.name(), status, mark);
        }
        return 0;
    }
}
