package dev.tevent4j.uring;

import dev.tevent4j.contract.RegisteredBuffersContract;

class UringRegisteredBuffersTest extends RegisteredBuffersContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
