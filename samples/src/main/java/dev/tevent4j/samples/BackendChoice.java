package dev.tevent4j.samples;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The backend a command's loops open, chosen by the rule the library documents: {@code --backend
 * NAME} when given, else {@code EventLoop.open()}'s own rule (the system property
 * {@code tevent4j.backend}, then the environment variable {@code TEVENT4J_BACKEND}, then the
 * default backend). {@link #resolve} checks the choice before a command listens or connects, so
 * that an unknown name and an unusable backend are refused up front, each with its own message
 * naming where the name came from.
 *
 * @param flag   the {@code --backend} value, or null to let {@link EventLoop#open()} choose
 * @param name   the backend checked: the one named, or the default one
 * @param source where that name came from: "--backend", "-Dtevent4j.backend",
 *               "TEVENT4J_BACKEND", or "default"
 */
public record BackendChoice(String flag, String name, String source) {
    /** The system property {@link EventLoop#open()} reads (the library's name for it). */
    public static final String PROPERTY = "tevent4j.backend";
    /** The environment variable {@link EventLoop#open()} reads when the property is not set. */
    public static final String ENV = "TEVENT4J_BACKEND";

    /**
     * Checks the backend that {@code flag} (null: none given), the property, the environment
     * variable or the default names, in that order.
     *
     * @throws IllegalArgumentException "no backend of that name" for an unknown name, "not usable
     *     here: why" for a known one that cannot work here, "no usable backend" when
     *     nothing is named and no default candidate works
     */
    public static BackendChoice resolve(String flag) {
        List<Backend> all = EventLoop.availableBackends();
        if (flag != null) {
            check(flag, "--backend " + flag, all);
            return new BackendChoice(flag, flag, "--backend");
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            check(property.trim(), "-D" + PROPERTY + "=" + property.trim(), all);
            return new BackendChoice(null, property.trim(), "-D" + PROPERTY);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            check(env.trim(), ENV + "=" + env.trim(), all);
            return new BackendChoice(null, env.trim(), ENV);
        }
        Backend byDefault = all.stream().filter(Backend::isDefault).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no usable backend here: " + describe(all)));
        return new BackendChoice(null, byDefault.name(), "default");
    }

    /**
     * This choice, now naming the backend a loop opened with it got: the loops a command opens
     * later then all run on that one, even where the default would fall back differently.
     */
    public BackendChoice pinnedTo(String backendName) {
        return new BackendChoice(backendName, backendName, source);
    }

    /** Opens a loop on the calling thread as this choice says. */
    public EventLoop open() {
        return flag == null ? EventLoop.open() : EventLoop.open(flag);
    }

    private static void check(String name, String asGiven, List<Backend> all) {
        Backend found = all.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
        if (found == null) {
            String known = all.stream().map(Backend::name).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(asGiven + ": no backend of that name; known backends: "
                    + (known.isEmpty() ? "none (no backend module is on the class path)" : known));
        }
        if (!found.usable()) {
            String usable = all.stream().filter(Backend::usable).map(Backend::name).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(asGiven + ": that backend is not usable here: " + found.reason()
                    + "; usable: " + (usable.isEmpty() ? "none" : usable));
        }
    }

    /** "epoll (why); hybrid (why)" for a message that says why nothing works. */
    private static String describe(List<Backend> all) {
        if (all.isEmpty()) return "no backend module is on the class path";
        return all.stream().map(b -> b.name() + (b.usable() ? " (usable, experimental: never the default)" : " (" + b.reason() + ")"))
                .collect(Collectors.joining("; "));
    }
}
