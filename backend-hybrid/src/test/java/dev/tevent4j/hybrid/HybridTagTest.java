package dev.tevent4j.hybrid;

import dev.tevent4j.contract.TagContract;

class HybridTagTest extends TagContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
