package dev.tevent4j.uring;

import dev.tevent4j.contract.QueueScenarioProperties;

@net.jqwik.api.lifecycle.AddLifecycleHook(UringOnlyHook.class)
class UringQueueScenarioTest extends QueueScenarioProperties {
    @Override
    protected String backend() {
        return "uring";
    }
}
