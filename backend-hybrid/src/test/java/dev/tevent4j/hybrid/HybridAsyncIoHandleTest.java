package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoHandleContract;

class HybridAsyncIoHandleTest extends AsyncIoHandleContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
