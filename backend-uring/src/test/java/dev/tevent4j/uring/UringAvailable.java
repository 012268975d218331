package dev.tevent4j.uring;

import dev.tevent4j.spi.BackendProvider;
import org.junit.jupiter.api.Assumptions;

import java.util.ServiceLoader;

/** Skips (never silently passes) a test class when this machine refuses the uring backend. */
final class UringAvailable {
    private UringAvailable() {
    }

    /** Aborts the caller with the reason when "uring" is not usable here. */
    static void assume() {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("uring")) {
                String why = p.unusableReason();
                if (why != null) {
                    System.err.println("SKIPPED: the uring backend is unusable here: " + why);
                    Assumptions.abort("the uring backend is unusable here: " + why);
                }
                return;
            }
        }
        Assumptions.abort("no uring backend provider on the class path");
    }
}
