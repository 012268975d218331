package dev.tevent4j.uring;

import dev.tevent4j.contract.RequestProfileContract;

class UringRequestProfileTest extends RequestProfileContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
