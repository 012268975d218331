package dev.tevent4j.internal;

import java.util.function.BiConsumer;

/**
 * Hands a handler's exception to the loop's uncaught-exception handler, and makes sure that
 * reporting never ends the loop thread: a throwing handler falls back to the log, a failing log
 * to a plain stack trace on stderr.
 */
final class UncaughtReporter {
    private static final System.Logger LOG = System.getLogger("dev.tevent4j");
    private static final BiConsumer<Object, Throwable> LOG_AND_GO_ON = (event, error) ->
            LOG.log(System.Logger.Level.WARNING, "handler of " + event + " threw; the loop goes on", error);

    private BiConsumer<Object, Throwable> handler = LOG_AND_GO_ON;

    /** {@code null} puts back the default, which logs and goes on. */
    void setHandler(BiConsumer<Object, Throwable> handler) {
        this.handler = handler == null ? LOG_AND_GO_ON : handler;
    }

    void report(Object event, Throwable error) {
        try {
            handler.accept(event, error);
        } catch (Throwable t) {
            try {
                LOG_AND_GO_ON.accept(event, error);
                LOG.log(System.Logger.Level.WARNING, "the uncaught-exception handler threw too", t);
            } catch (Throwable logFailed) {
                printPlainly(event, error, logFailed);
            }
        }
    }

    /**
     * The last resort when even logging fails. Seen out of fds: java.util.logging's formatter
     * loads the time-zone file on first use, fails with EMFILE and throws an Error that would
     * otherwise end the loop thread. Printing a stack trace needs no file and no formatter.
     */
    private static void printPlainly(Object event, Throwable error, Throwable logFailed) {
        try {
            System.err.println("tevent4j: handler of " + event + " threw; the loop goes on (logging failed: " + logFailed + ")");
            error.printStackTrace();
        } catch (Throwable ignored) {
            // Nothing is left to report with; the loop must still go on.
        }
    }
}
