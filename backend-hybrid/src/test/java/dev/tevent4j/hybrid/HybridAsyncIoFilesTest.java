package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoFilesContract;

class HybridAsyncIoFilesTest extends AsyncIoFilesContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
