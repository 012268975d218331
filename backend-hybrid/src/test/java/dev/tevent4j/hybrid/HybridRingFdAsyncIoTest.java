package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The AsyncIo contract with the other completion notification: no DEFER_TASKRUN, the ring fd
 * itself in epoll (completions interrupt epoll_wait). The property is read when a loop opens.
 */
class HybridRingFdAsyncIoTest extends AsyncIoContract {
    @BeforeAll
    static void useRingFd() {
        System.setProperty(HybridPoller.NOTIFY_PROPERTY, "ringfd");
    }

    @AfterAll
    static void restoreDefault() {
        System.clearProperty(HybridPoller.NOTIFY_PROPERTY);
    }

    @Override
    protected String backend() {
        return "hybrid";
    }
}
