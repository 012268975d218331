package dev.tevent4j.hybrid;

import dev.tevent4j.contract.ImmediateContract;

class HybridImmediateTest extends ImmediateContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
