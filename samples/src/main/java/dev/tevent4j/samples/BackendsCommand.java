package dev.tevent4j.samples;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j backends}: every backend found, usable or why not, and the default; then
 * what {@code EventLoop.open()} opens here, which {@code -Dtevent4j.backend} or
 * {@code TEVENT4J_BACKEND} may change.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List every backend with \"usable\" or the reason it is not, then the one EventLoop.open()"
                + " (and every command without --backend) opens: -Dtevent4j.backend, else $TEVENT4J_BACKEND, else the default."})
public final class BackendsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Backend b : EventLoop.availableBackends()) {
            String status = b.usable() ? "usable" : "not usable: " + b.reason();
            String mark = b.isDefault() ? " (default)" : b.experimental() && b.usable() ? " (experimental: never the default)" : "";
            System.out.printf("%-8s %s%s%n", b.name(), status, mark);
        }
        // What EventLoop.open() and the samples without --backend would open, and why.
        try {
            BackendChoice chosen = BackendChoice.resolve(null);
            System.out.println("EventLoop.open() opens: " + chosen.name()
                    + (chosen.source().equals("default") ? " (the default)" : " (named by " + chosen.source() + ")"));
        } catch (IllegalArgumentException e) {
            System.out.println("EventLoop.open() fails: " + e.getMessage());
        }
        return 0;
    }
}
