package dev.tevent4j.hybrid;

import dev.tevent4j.contract.PersonalityContract;

class HybridPersonalityTest extends PersonalityContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
