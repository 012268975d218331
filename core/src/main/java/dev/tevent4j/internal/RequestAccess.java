package dev.tevent4j.internal;

import dev.tevent4j.Request;

/**
 * What the AsyncIo implementations need of {@link Request} beyond its public API, reached
 * without making it public (the JDK's SharedSecrets idiom): {@code Request} installs the
 * implementation when its class initialises, which happens before any request exists.
 */
public final class RequestAccess {
    /** Implemented by {@code Request}. */
    public interface Hooks {
        /**
         * Marks {@code r} as the request of an op in flight in the kernel or on a worker: its
         * deadline then asks the op's cancel function instead of failing it at once, and the
         * request completes only from the op's own completion.
         */
        void markOpRequest(Request<?> r);

        /** Whether the deadline of {@code r} passed while its op was in flight. */
        boolean deadlinePassed(Request<?> r);
    }

    private static volatile Hooks hooks;

    private RequestAccess() {}

    public static void install(Hooks h) {
        if (hooks != null) throw new IllegalStateException("RequestAccess is installed once, by Request");
        hooks = h;
    }

    public static Hooks hooks() {
        return hooks;
    }
}
