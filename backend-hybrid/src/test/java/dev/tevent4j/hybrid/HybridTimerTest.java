package dev.tevent4j.hybrid;

import dev.tevent4j.contract.TimerContract;

class HybridTimerTest extends TimerContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
