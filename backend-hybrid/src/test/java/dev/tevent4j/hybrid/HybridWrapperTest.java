package dev.tevent4j.hybrid;

import dev.tevent4j.contract.WrapperContract;

class HybridWrapperTest extends WrapperContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
