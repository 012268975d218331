package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RequestStatesContract;

class HybridRequestStatesTest extends RequestStatesContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
