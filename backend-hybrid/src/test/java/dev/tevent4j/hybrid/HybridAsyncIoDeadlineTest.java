package dev.tevent4j.hybrid;

import dev.tevent4j.contract.AsyncIoDeadlineContract;

class HybridAsyncIoDeadlineTest extends AsyncIoDeadlineContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
