package dev.tevent4j.hybrid;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default backend falls back to epoll, saying why, when the kernel refuses io_uring. The
 * refusal is injected (-Dtevent4j.io_uring.inject=EPERM makes io_uring_setup fail as a kernel
 * with kernel.io_uring_disabled would) in a child JVM, so the machine is not changed.
 */
class HybridFallbackTest {

    private static String runProbe(String... props) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void hybridIsTheDefaultWhereIoUringWorks() throws Exception {
        String out = runProbe();
        assertTrue(out.contains("default=hybrid"), out);
        assertTrue(out.contains("io=io_uring"), out);
    }

    @Test
    void defaultFallsBackToEpollAndSaysWhyWhenIoUringIsRefused() throws Exception {
        String out = runProbe("-Dtevent4j.io_uring.inject=EPERM");
        assertTrue(out.contains("default=epoll"), out);
        assertTrue(out.contains("usable=[epoll]"), out);
        assertTrue(out.contains("io=threadpool"), out);
        assertTrue(out.contains("backend hybrid passed over as default: io_uring_setup failed: EPERM"), out);
        assertTrue(out.contains("hybrid=refused: backend \"hybrid\" is not usable here: io_uring_setup failed: EPERM"), out);
    }

    @Test
    void enosysIsReportedAsAKernelWithoutIoUring() throws Exception {
        String out = runProbe("-Dtevent4j.io_uring.inject=ENOSYS");
        assertTrue(out.contains("default=epoll"), out);
        assertTrue(out.contains("ENOSYS"), out);
        assertTrue(out.contains("this kernel has no io_uring"), out);
    }
}
