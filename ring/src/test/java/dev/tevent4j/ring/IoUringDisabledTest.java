package dev.tevent4j.ring;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real sysctl: with kernel.io_uring_disabled = 2 the kernel refuses io_uring_setup to every
 * process, root included, and the refusal names the sysctl, its value and the fix. The value is
 * restored at once; the window is one io_uring_setup long.
 */
class IoUringDisabledTest {
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    @Test
    void aRingRefusedByTheSysctlSaysSo() throws IOException {
        Assumptions.assumeTrue(Files.exists(SYSCTL), "no " + SYSCTL + " (kernel older than 6.6)");
        String already = new RingProbe(ring -> null).unusableReason();
        Assumptions.assumeTrue(already == null, "io_uring is unusable here already: " + already);
        String before = Files.readString(SYSCTL).strip();
        try {
            Files.writeString(SYSCTL, "2");
        } catch (IOException | SecurityException e) {
            Assumptions.abort("cannot write " + SYSCTL + " (needs root and a writable /proc/sys): " + e);
        }
        RingUnavailableException refused;
        try {
            refused = assertThrows(RingUnavailableException.class, () -> new Ring(8, 0, true).close());
        } finally {
            Files.writeString(SYSCTL, before);
        }
        String why = refused.getMessage();
        assertTrue(why.startsWith("io_uring_setup failed: EPERM (Operation not permitted)"), why);
        assertTrue(why.contains("kernel.io_uring_disabled = 2"), why);
        assertTrue(why.contains("sysctl -w kernel.io_uring_disabled=0"), why);
        new Ring(8, 0, true).close(); // restored: rings work again
    }
}
