package dev.tevent4j;

/** Thrown by {@link Request#result()} for a request that failed; the cause says why. */
public final class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RequestException(Throwable cause) {
        super(cause.toString(), cause);
    }
}
