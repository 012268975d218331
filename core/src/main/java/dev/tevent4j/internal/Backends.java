package dev.tevent4j.internal;

import dev.tevent4j.EventLoop;
import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.uring.RingProbe;
import dev.tevent4j.uring.RingUnavailableException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/** Finds backends with {@link ServiceLoader} and picks one by name, flag, env or default. */
public final class Backends {
    private Backends() {}

    public static final String PROPERTY = "tevent4j.backend";
    public static final String ENV = "TEVENT4J_BACKEND";
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");

    private static volatile List<BackendProvider> providers;
    /** Messages already logged: a fallback repeated by every open() is logged once. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** Every provider on the class or module path, default candidates first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> p = providers;
        if (p == null) {
            List<BackendProvider> found = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(BackendProvider::defaultPriority).reversed()
                    .thenComparing(BackendProvider::name));
            providers = p = List.copyOf(found);
        }
        return p;
    }

    public static List<String> usableNames() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.unusableReason() == null) names.add(p.name());
        }
        return List.copyOf(names);
    }

    public static EventLoop openDefault() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null || chosen.isBlank()) chosen = System.getenv(ENV);
        if (chosen != null && !chosen.isBlank()) {
            return open(chosen.trim());
        }
        return openFirstDefault();
    }

    /**
     * Opens the first default candidate that is usable and whose poller opens: a candidate whose
     * probe said usable but whose ring cannot be set up now (io_uring disabled since the probe:
     * sysctl kernel.io_uring_disabled=2, a seccomp filter installed later) is passed over, like
     * one the probe refused, and every probe's answer is forgotten so that backends() and the
     * next open() ask the kernel again.
     */
    private static EventLoop openFirstDefault() {
        for (BackendProvider p : providers()) {
            if (p.defaultPriority() < 0) continue;
            String why = p.unusableReason();
            if (why != null) {
                logOnce("backend " + p.name() + " passed over as default: " + why);
                continue;
            }
            try {
                return open(p);
            } catch (RingUnavailableException e) {
                RingProbe.forgetAnswers();
                logOnce("backend " + p.name() + " passed over as default: its ring could not be set up: " + e.getMessage());
            }
        }
        throw new UnsupportedOperationException("no usable backend; " + describeAll());
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) LOG.log(System.Logger.Level.INFO, message);
    }

    public static EventLoop open(String name) {
        Checks.notNull(name, "backend");
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) {
                String why = p.unusableReason();
                if (why != null) {
                    throw new UnsupportedOperationException("backend \"" + name + "\" is not usable here: " + why
                            + "; " + describeAll());
                }
                try {
                    return open(p);
                } catch (RingUnavailableException e) {
                    // io_uring was disabled after the probe said yes: the probes must ask again.
                    RingProbe.forgetAnswers();
                    throw new UnsupportedOperationException("backend \"" + name + "\" is not usable here: "
                            + e.getMessage() + "; " + describeAll(), e);
                }
            }
        }
        throw new IllegalArgumentException("no backend named \"" + name + "\"; " + describeAll());
    }

    /** The usable provider with the highest non-negative priority; logs each one passed over. */
    public static BackendProvider defaultProvider() {
        for (BackendProvider p : providers()) {
            if (p.defaultPriority() < 0) continue;
            String why = p.unusableReason();
            if (why == null) return p;
            logOnce("backend " + p.name() + " passed over as default: " + why);
        }
        throw new UnsupportedOperationException("no usable backend; " + describeAll());
    }

    private static EventLoop open(BackendProvider p) {
        return new Loop(p.name(), p.openPoller());
    }

    /** "usable: a, b; not usable: c (reason)" for error messages. */
    public static String describeAll() {
        StringJoiner usable = new StringJoiner(", ");
        StringJoiner unusable = new StringJoiner("; ");
        for (BackendProvider p : providers()) {
            String why = p.unusableReason();
            if (why == null) usable.add(p.name()); else unusable.add(p.name() + " (" + why + ")");
        }
        if (providers().isEmpty()) {
            return "no backend is on the class path (add tevent4j-backend-epoll)";
        }
        return "usable: " + (usable.length() == 0 ? "none" : usable) + (unusable.length() == 0 ? "" : "; not usable: " + unusable);
    }
}
