package dev.tevent4j.hybrid;

import dev.tevent4j.contract.ExecutorContract;

class HybridExecutorTest extends ExecutorContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
