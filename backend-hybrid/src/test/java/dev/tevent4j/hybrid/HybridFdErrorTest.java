package dev.tevent4j.hybrid;

import dev.tevent4j.contract.FdErrorContract;

class HybridFdErrorTest extends FdErrorContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
