package dev.tevent4j.uring;

import dev.tevent4j.contract.TraceContract;

class UringTraceTest extends TraceContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
