package dev.tevent4j.hybrid;

import dev.tevent4j.contract.SignalContract;

class HybridSignalTest extends SignalContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
