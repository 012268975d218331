package dev.tevent4j.uring;

import dev.tevent4j.contract.TagContract;

class UringTagTest extends TagContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
