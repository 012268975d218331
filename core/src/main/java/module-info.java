/**
 * tevent4j core: the event loop API ({@code dev.tevent4j}), the Linux bindings
 * ({@code dev.tevent4j.linux}) and the loop machinery. Backends are separate modules found with
 * {@link java.util.ServiceLoader}: put at least one of {@code dev.tevent4j.backend.epoll},
 * {@code dev.tevent4j.backend.hybrid} or {@code dev.tevent4j.backend.uring} on the module path
 * (with {@code --add-modules} when nothing requires it) and enable native access for every
 * tevent4j module that resolves: core, {@code dev.tevent4j.ring} for hybrid and uring, and the
 * backends.
 */
// "module not found" for the qualified export's targets: core is compiled before them.
@SuppressWarnings("module")
module dev.tevent4j.core {
    // sun.misc.Signal: the JVM's only hook for POSIX signal delivery (SignalEvent).
    requires jdk.unsupported;
    // The loop's JFR events (tevent4j.jfr=true).
    requires jdk.jfr;
    // The loop's executor queue (VarHandle JCTools: no sun.misc.Unsafe).
    requires org.jctools.core.jdk11;

    exports dev.tevent4j;
    exports dev.tevent4j.linux;
    // The backend SPI is for tevent4j's own backend modules; internal is exported to no one.
    exports dev.tevent4j.spi to
            dev.tevent4j.ring,
            dev.tevent4j.backend.epoll,
            dev.tevent4j.backend.hybrid,
            dev.tevent4j.backend.uring;

    uses dev.tevent4j.spi.BackendProvider;
    uses dev.tevent4j.EventLoopBase.Bootstrap;
    provides dev.tevent4j.EventLoopBase.Bootstrap with dev.tevent4j.internal.Backends;
}
