package dev.tevent4j.uring;

import dev.tevent4j.spi.BackendProvider;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.util.ServiceLoader;

/** jqwik's way to skip (with the reason) a property class when "uring" is unusable here. */
public final class UringOnlyHook implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("uring")) {
                String why = p.unusableReason();
                if (why == null) return SkipResult.doNotSkip();
                System.err.println("SKIPPED: the uring backend is unusable here: " + why);
                return SkipResult.skip("the uring backend is unusable here: " + why);
            }
        }
        return SkipResult.skip("no uring backend provider on the class path");
    }
}
