package dev.tevent4j.hybrid;

import dev.tevent4j.contract.BadInputContract;

class HybridBadInputTest extends BadInputContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
