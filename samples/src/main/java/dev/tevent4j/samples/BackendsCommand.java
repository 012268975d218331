package dev.tevent4j.samples;

import dev.tevent4j.internal.Backends;
import dev.tevent4j.spi.BackendProvider;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code bin/tevent4j backends}: every backend found, usable or why not, and the default. */
@Command(name = "backends", description = "List every backend with \"usable\" or the reason it is not.")
public final class BackendsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String def;
        try {
            def = Backends.defaultProvider().name();
        } catch (UnsupportedOperationException e) {
            def = null;
        }
        for (BackendProvider p : Backends.providers()) {
            String why = p.unusableReason();
            String status = why == null ? "usable" : "not usable: " + why;
            String mark = p.name().equals(def) ? " (default)" : "";
            System.out.printf("%-8s %s%s%n", p.name(), status, mark);
        }
        return 0;
    }
}
