package dev.tevent4j;

/** A handler for a POSIX signal, registered with {@link EventLoop#addSignal}. */
public interface SignalEvent {
    /** The signal number. */
    int signum();

    /**
     * The caller's tag, 0 unless set (tevent_signal_get_tag): a number that trace callbacks and
     * Flight Recorder events show, e.g. to tell a connection's events from another's.
     */
    long tag();

    /** Sets the tag (tevent_signal_set_tag); also on a closed or inactive event. Loop thread only. */
    void setTag(long tag);

    /** Removes the handler; when it was the last one for its signal, the JVM's handler is back. */
    void close();
}
