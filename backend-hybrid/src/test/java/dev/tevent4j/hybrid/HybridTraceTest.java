package dev.tevent4j.hybrid;

import dev.tevent4j.contract.TraceContract;

class HybridTraceTest extends TraceContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
