package dev.tevent4j.uring;

import dev.tevent4j.contract.RequestChainProperties;

@net.jqwik.api.lifecycle.AddLifecycleHook(UringOnlyHook.class)
class UringRequestChainTest extends RequestChainProperties {
    @Override
    protected String backend() {
        return "uring";
    }
}
