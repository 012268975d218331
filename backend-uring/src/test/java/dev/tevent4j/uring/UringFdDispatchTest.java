package dev.tevent4j.uring;

import dev.tevent4j.contract.FdDispatchContract;

class UringFdDispatchTest extends FdDispatchContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
