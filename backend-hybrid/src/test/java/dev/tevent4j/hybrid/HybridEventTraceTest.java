package dev.tevent4j.hybrid;

import dev.tevent4j.contract.EventTraceContract;

class HybridEventTraceTest extends EventTraceContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
