package dev.tevent4j.uring;

import dev.tevent4j.contract.LifecycleContract;

class UringLifecycleTest extends LifecycleContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
