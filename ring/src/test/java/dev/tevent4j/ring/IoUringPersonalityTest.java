package dev.tevent4j.ring;

import dev.tevent4j.linux.CHeaderProbe;
import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.tevent4j.ring.IoUringAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The personality part of {@link IoUringAbi}, {@link Sqe} and {@link Ring} against the header and the kernel. */
class IoUringPersonalityTest {
    @Test
    void personalityConstantsAndTheSqeFieldMatchTheHeader() throws Exception {
        new CHeaderProbe().include("linux/io_uring.h").include("stddef.h")
                .expect("IORING_REGISTER_PERSONALITY", IORING_REGISTER_PERSONALITY)
                .expect("IORING_UNREGISTER_PERSONALITY", IORING_UNREGISTER_PERSONALITY)
                .expect("offsetof(struct io_uring_sqe, personality)", Sqe.PERSONALITY)
                .verify();
        assertEquals(42, Sqe.PERSONALITY);
    }

    @Test
    void registeredIdsAreDistinctUnregisterOnceAndTheSqeCarriesTheId() {
        try (Ring ring = RingTest.openOrSkip(8, 0)) {
            int a = ring.registerPersonality();
            int b = ring.registerPersonality();
            assertTrue(a > 0 && b > 0, a + " " + b);
            assertNotEquals(a, b);
            assertEquals(0, ring.unregisterPersonality(a));
            assertEquals(-Errno.EINVAL, ring.unregisterPersonality(a), "an id unregistered already");
            Sqe sqe = ring.nextSqe();
            sqe.prepNop().personality(b).userData(7);
            assertEquals(b, sqe.personalityId());
            assertThrows(IllegalArgumentException.class, () -> sqe.personality(0x10000));
            assertEquals(1, ring.submitAndWait(1, -1));
            int[] res = {Integer.MIN_VALUE};
            ring.reap((ud, r, flags) -> res[0] = r);
            assertEquals(0, res[0], "a NOP with a registered personality completes");
            // A NOP carrying the unregistered id is refused by the kernel at submission.
            ring.nextSqe().prepNop().personality(a).userData(8);
            ring.submitAndWait(1, -1);
            ring.reap((ud, r, flags) -> res[0] = r);
            assertEquals(-Errno.EINVAL, res[0]);
            assertEquals(0, ring.unregisterPersonality(b));
        }
    }
}
