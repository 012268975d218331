package dev.tevent4j.internal;


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

    static String nativeAccessAdvice(Throwable cause) {
        Module m = Platform.class.getModule();
        String flag = m.isNamed() ? "--enable-native-access=" + m.getName() : "--enable-native-access=ALL-UNNAMED";
        return "native access is not enabled for tevent4j (" + (cause == null ? "refused" : cause.getMessage())
                + "); start java with " + flag + (m.isNamed() ? " (module path)" : " (class path)")
                + ", or add Enable-Native-Access: ALL-UNNAMED to an executable jar's manifest";
    }

}
