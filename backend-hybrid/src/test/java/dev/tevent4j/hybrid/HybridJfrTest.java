package dev.tevent4j.hybrid;

import dev.tevent4j.contract.JfrContract;

class HybridJfrTest extends JfrContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
