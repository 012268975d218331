package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoLinkContract;

class HybridAsyncIoLinkTest extends AsyncIoLinkContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
