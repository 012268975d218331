package dev.tevent4j.hybrid;

import dev.tevent4j.contract.QueueScenarioProperties;

class HybridQueueScenarioTest extends QueueScenarioProperties {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
