package dev.tevent4j.epoll;

import dev.tevent4j.contract.QueueScenarioProperties;

class EpollQueueScenarioTest extends QueueScenarioProperties {
    @Override
    protected String backend() {
        return "epoll";
    }
}
