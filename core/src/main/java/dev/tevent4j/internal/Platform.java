package dev.tevent4j.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this JVM can run tevent4j at all, asked before any backend is touched: the Linux
 * bindings are written for Linux x86_64 (struct layouts such as the packed epoll_event, the
 * O_* and errno values), and every syscall is an FFM downcall, a restricted method that a JVM
 * started with {@code --illegal-native-access=deny} refuses unless native access is enabled.
 */
final class Platform {
    private Platform() {}

    /** Null when tevent4j can run here, else why not and the fix; computed once. */
    static String unusableReason() {
        return Holder.REASON;
    }

    private static final class Holder {
        static final String REASON = compute();
    }

    private static String compute() {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "tevent4j supports Linux on x86_64 only; this JVM runs on " + os + " " + arch;
        }
        try {
            // The first downcall handle: refused here when native access is denied.
            Class.forName("dev.tevent4j.linux.Libc", true, Platform.class.getClassLoader());
            return null;
        } catch (ExceptionInInitializerError | IllegalCallerException e) {
            Throwable cause = e instanceof ExceptionInInitializerError ? e.getCause() : e;
            return nativeAccessAdvice(cause);
        } catch (ClassNotFoundException | LinkageError e) {
            return "the Linux bindings cannot be loaded: " + e;
        }
    }

    /**
     * Why native access was refused and the flag that grants it. On the class path every
     * tevent4j class is in the unnamed module: {@code ALL-UNNAMED}. On the module path the JVM
     * checks each module that calls a restricted method (core's downcalls, the ring's and the
     * backends' segments), so the flag names every tevent4j module of core's layer.
     */
    static String nativeAccessAdvice(Throwable cause) {
        String why = "native access is not enabled for tevent4j ("
                + (cause == null || cause.getMessage() == null ? "refused" : cause.getMessage()) + "); start java with ";
        Module core = Platform.class.getModule();
        if (!core.isNamed()) {
            return why + "--enable-native-access=ALL-UNNAMED (class path), or add Enable-Native-Access: ALL-UNNAMED"
                    + " to an executable jar's manifest";
        }
        return why + "--enable-native-access=" + String.join(",", tevent4jModules(core)) + " (module path)";
    }

    /** Core first, then the other dev.tevent4j.* modules of its layer, by name. */
    private static List<String> tevent4jModules(Module core) {
        List<String> names = new ArrayList<>();
        names.add(core.getName());
        ModuleLayer layer = core.getLayer();
        if (layer != null) {
            layer.modules().stream()
                    .map(Module::getName)
                    .filter(n -> n.startsWith("dev.tevent4j.") && !n.equals(core.getName()))
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }
}
