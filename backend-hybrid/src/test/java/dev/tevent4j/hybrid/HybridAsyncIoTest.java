package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoContract;

class HybridAsyncIoTest extends AsyncIoContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
