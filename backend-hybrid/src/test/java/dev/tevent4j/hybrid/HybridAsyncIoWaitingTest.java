package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoWaitingContract;

class HybridAsyncIoWaitingTest extends AsyncIoWaitingContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
