package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RequestProfileContract;

class HybridRequestProfileTest extends RequestProfileContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
