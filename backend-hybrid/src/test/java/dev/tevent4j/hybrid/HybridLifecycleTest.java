package dev.tevent4j.hybrid;

import dev.tevent4j.contract.LifecycleContract;

class HybridLifecycleTest extends LifecycleContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
