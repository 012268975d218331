package dev.tevent4j.uring;

import dev.tevent4j.contract.ScenarioProperties;

@net.jqwik.api.lifecycle.AddLifecycleHook(UringOnlyHook.class)
class UringScenarioPropertiesTest extends ScenarioProperties {
    @Override
    protected String backend() {
        return "uring";
    }
}
