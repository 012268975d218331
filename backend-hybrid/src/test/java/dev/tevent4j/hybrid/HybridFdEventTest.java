package dev.tevent4j.hybrid;

import dev.tevent4j.contract.FdEventContract;

class HybridFdEventTest extends FdEventContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
