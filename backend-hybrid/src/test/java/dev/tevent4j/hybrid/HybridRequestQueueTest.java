package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RequestQueueContract;

class HybridRequestQueueTest extends RequestQueueContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
