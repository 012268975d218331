package dev.tevent4j.hybrid;

import dev.tevent4j.contract.QueueEntryContract;

class HybridQueueEntryTest extends QueueEntryContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
