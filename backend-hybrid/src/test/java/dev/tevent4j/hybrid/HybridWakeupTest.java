package dev.tevent4j.hybrid;

import dev.tevent4j.contract.WakeupContract;

class HybridWakeupTest extends WakeupContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
