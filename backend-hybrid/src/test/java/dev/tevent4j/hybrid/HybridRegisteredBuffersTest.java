package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RegisteredBuffersContract;

class HybridRegisteredBuffersTest extends RegisteredBuffersContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
