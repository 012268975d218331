package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RequestContract;

class HybridRequestTest extends RequestContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
