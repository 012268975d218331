package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RequestChainProperties;

class HybridRequestChainTest extends RequestChainProperties {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
