package dev.tevent4j.epoll;

import dev.tevent4j.contract.ScenarioProperties;

class EpollScenarioPropertiesTest extends ScenarioProperties {
    @Override
    protected String backend() {
        return "epoll";
    }
}
