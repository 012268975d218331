package dev.tevent4j.internal;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import dev.tevent4j.EventLoopBase;
import dev.tevent4j.LoopOptions;
import dev.tevent4j.spi.BackendProvider;
import dev.tevent4j.spi.BackendUnavailableException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backends with {@link ServiceLoader} and picks one by name, system property, environment
 * variable or default; {@link EventLoop#open} reaches it as core's {@link EventLoopBase.Bootstrap}
 * service. A backend that cannot work here is reported with its reason and never throws an
 * initialisation error at the user.
 */
public final class Backends implements EventLoopBase.Bootstrap {
    public static final String PROPERTY = "tevent4j.backend";
    public static final String ENV = "TEVENT4J_BACKEND";
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");

    private static volatile List<BackendProvider> providers;
    /** Messages already logged: a fallback repeated by every open() is logged once per JVM. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** The ServiceLoader's constructor; the methods are static. */
    public Backends() {}

    @Override
    public EventLoop openDefault() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null || chosen.isBlank()) chosen = System.getenv(ENV);
        if (chosen != null && !chosen.isBlank()) return open(chosen.trim());
        return openFirstDefault();
    }

    @Override
    public EventLoop open(String name) {
        return open(name, LoopOptions.defaults());
    }

    @Override
    public EventLoop open(String name, LoopOptions options) {
        Checks.notNull(name, "backend");
        Checks.notNull(options, "options");
        BackendProvider p = find(name);
        if (p == null) throw new IllegalArgumentException("no backend named \"" + name + "\"; " + describeAll());
        String why = reasonOf(p);
        if (why != null) {
            throw new UnsupportedOperationException("backend \"" + name + "\" is not usable here: " + why + "; " + describeAll());
        }
        try {
            return openLoop(p, options);
        } catch (BackendUnavailableException e) {
            p.forgetUsability();
            throw new UnsupportedOperationException("backend \"" + name + "\" is not usable here: "
                    + e.getMessage() + "; " + describeAll(), e);
        }
    }

    @Override
    public List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        BackendProvider chosenDefault = null;
        for (BackendProvider p : providers()) {
            if (chosenDefault == null && p.defaultPriority() >= 0 && reasonOf(p) == null) chosenDefault = p;
        }
        for (BackendProvider p : providers()) {
            String why = reasonOf(p);
            out.add(new Backend(p.name(), why == null, why, p == chosenDefault, p.defaultPriority() < 0));
        }
        return List.copyOf(out);
    }

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

    private static BackendProvider find(String name) {
        for (BackendProvider p : providers()) {
            if (p.name().equals(name)) return p;
        }
        return null;
    }

    /**
     * Null when {@code p} works here, else why not: the platform and native access first (every
     * backend needs both), then the provider's own probe, whose failures of any kind become a
     * reason rather than an error.
     */
    static String reasonOf(BackendProvider p) {
        String platform = Platform.unusableReason();
        if (platform != null) return platform;
        try {
            return p.unusableReason();
        } catch (IllegalCallerException e) {
            return Platform.nativeAccessAdvice(e);
        } catch (RuntimeException | LinkageError e) {
            return "its probe failed: " + e;
        }
    }

    /**
     * Opens the first default candidate that is usable and whose poller opens. A candidate whose
     * probe said usable but whose poller cannot be set up now (io_uring disabled or filtered
     * since the probe, or any other failure at open) is passed over like one the probe refused,
     * and its answer is forgotten so that the next question asks the kernel again.
     */
    private static EventLoop openFirstDefault() {
        for (BackendProvider p : providers()) {
            if (p.defaultPriority() < 0) continue;
            String why = reasonOf(p);
            if (why != null) {
                logOnce("backend " + p.name() + " passed over as default: " + why);
                continue;
            }
            try {
                return openLoop(p, LoopOptions.defaults());
            } catch (BackendUnavailableException e) {
                p.forgetUsability();
                logOnce("backend " + p.name() + " passed over as default: it could not be set up: " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                logOnce("backend " + p.name() + " passed over as default: opening it failed: " + e);
            }
        }
        throw new UnsupportedOperationException("no usable backend; " + describeAll());
    }

    private static void logOnce(String message) {
        if (LOGGED.add(message)) LOG.log(System.Logger.Level.INFO, message);
    }

    private static EventLoop openLoop(BackendProvider p, LoopOptions options) {
        return new Loop(p.name(), p.openPoller(options), options);
    }

    /** "usable: a, b; not usable: c (reason)" for error messages. */
    public static String describeAll() {
        if (providers().isEmpty()) {
            return "no backend is on the class path (add tevent4j-backend-epoll)";
        }
        StringJoiner usable = new StringJoiner(", ");
        StringJoiner unusable = new StringJoiner("; ");
        for (BackendProvider p : providers()) {
            String why = reasonOf(p);
            if (why == null) usable.add(p.name()); else unusable.add(p.name() + " (" + why + ")");
        }
        return "usable: " + (usable.length() == 0 ? "none" : usable) + (unusable.length() == 0 ? "" : "; not usable: " + unusable);
    }
}
