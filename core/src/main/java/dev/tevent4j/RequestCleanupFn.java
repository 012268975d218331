package dev.tevent4j;

/**
 * A cleanup function told the state it runs in, tevent's {@code tevent_req_cleanup_fn}: see
 * {@link Request#setStateCleanupFn}.
 *
 * @param <T> the request's value type
 */
@FunctionalInterface
public interface RequestCleanupFn<T> {
    /**
     * Releases what the request holds for {@code state}: a completion state (before the
     * callback) or {@link RequestState#RECEIVED}.
     */
    void cleanup(Request<T> req, RequestState state);
}
