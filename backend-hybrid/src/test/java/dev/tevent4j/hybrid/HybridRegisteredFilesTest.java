package dev.tevent4j.hybrid;

import dev.tevent4j.contract.RegisteredFilesContract;

class HybridRegisteredFilesTest extends RegisteredFilesContract {
    @Override
    protected String backend() {
        return "hybrid";
    }
}
