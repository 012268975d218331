package dev.tevent4j.uring;

import dev.tevent4j.contract.RegisteredFilesContract;

class UringRegisteredFilesTest extends RegisteredFilesContract {
    @org.junit.jupiter.api.BeforeAll
    static void needsIoUring() {
        UringAvailable.assume();
    }

    @Override
    protected String backend() {
        return "uring";
    }
}
