package dev.tevent4j.uring;

import dev.tevent4j.contract.RequestChainProperties;

class UringRequestChainTest extends RequestChainProperties {
    @net.jqwik.api.lifecycle.BeforeContainer
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
