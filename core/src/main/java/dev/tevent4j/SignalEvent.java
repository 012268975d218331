package dev.tevent4j;

/** A handler for a POSIX signal, registered with {@link EventLoop#addSignal}. */
public interface SignalEvent {
    /** The signal number. */
    int signum();

    /** Removes the handler; when it was the last one for its signal, the JVM's handler is back. */
    void close();
}
