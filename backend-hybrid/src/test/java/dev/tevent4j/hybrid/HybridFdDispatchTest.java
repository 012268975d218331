package dev.tevent4j.hybrid;

import dev.tevent4j.contract.FdDispatchContract;

class HybridFdDispatchTest extends FdDispatchContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
