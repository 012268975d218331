package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoSocketsContract;

class HybridAsyncIoSocketsTest extends AsyncIoSocketsContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
