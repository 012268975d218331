package dev.tevent4j;

import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;

/**
 * How a request failed, the answer of tevent_req_is_error() (the state) and
 * tevent_req_is_unix_error() (an errno) in one value: see {@link Request#failure()}.
 *
 * @param state the failed state: {@link RequestState#ERROR}, {@link RequestState#TIMED_OUT},
 *     {@link RequestState#CANCELLED} or {@link RequestState#LOOP_CLOSED}
 * @param errno as tevent_req_is_unix_error() maps it: the errno of an {@link ErrnoException},
 *     ETIMEDOUT for a timeout, ECANCELED for a cancellation, else EINVAL (tevent's default)
 * @param cause the cause the request failed with
 */
public record RequestFailure(RequestState state, int errno, Throwable cause) {

    static RequestFailure of(RequestState state, Throwable cause) {
        return new RequestFailure(state, errnoOf(state, cause), cause);
    }

    static int errnoOf(RequestState state, Throwable cause) {
        return switch (state) {
            case DONE, IN_PROGRESS -> 0;
            case TIMED_OUT -> Errno.ETIMEDOUT;
            case CANCELLED -> Errno.ECANCELED;
            default -> cause instanceof ErrnoException e ? e.errno() : Errno.EINVAL;
        };
    }
}
