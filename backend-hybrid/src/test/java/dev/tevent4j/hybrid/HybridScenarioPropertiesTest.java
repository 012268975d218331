package dev.tevent4j.hybrid;

import dev.tevent4j.contract.ScenarioProperties;

class HybridScenarioPropertiesTest extends ScenarioProperties {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
