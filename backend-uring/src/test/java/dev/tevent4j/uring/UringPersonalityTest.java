package dev.tevent4j.uring;

import dev.tevent4j.contract.PersonalityContract;

class UringPersonalityTest extends PersonalityContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
