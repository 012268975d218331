/** A tevent4j application on the module path: it names core only, the backend comes by --add-modules. */
module app {
    requires dev.tevent4j.core;
}
