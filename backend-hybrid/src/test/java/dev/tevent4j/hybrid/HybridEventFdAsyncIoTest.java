package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The AsyncIo contract with the other completion notification: DEFER_TASKRUN and a registered
 * eventfd in epoll (the default is the ring fd itself). The property is read when a loop opens.
 */
class HybridEventFdAsyncIoTest extends AsyncIoContract {
    @BeforeAll
    static void useEventFd() {
        System.setProperty(HybridPoller.NOTIFY_PROPERTY, "eventfd");
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
