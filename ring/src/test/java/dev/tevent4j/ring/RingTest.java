package dev.tevent4j.ring;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java-driven ring on the real kernel: setup flags, probe, NOPs, CQ overflow. */
class RingTest {

    static Ring openOrSkip(int sq, int cq) {
        try {
            return new Ring(sq, cq, true);
        } catch (RingUnavailableException e) {
            System.out.println("SKIPPED: io_uring refused by the kernel: " + e.getMessage());
            Assumptions.abort("io_uring refused by the kernel: " + e.getMessage());
            return null;
        }
    }

    private static void nop(Ring ring, long userData) {
        Sqe sqe;
        while ((sqe = ring.nextSqe()) == null) {
            ring.submit(false);
        }
        sqe.prepNop().userData(userData);
    }

    @Test
    void setupRecordsAcceptedFlagsAndProbesOps() {
        try (Ring ring = openOrSkip(32, 0)) {
            System.out.println("ring: " + ring + ", flags 0x" + Integer.toHexString(ring.setupFlags()));
            assertTrue(ring.supports(IoUringAbi.IORING_OP_NOP));
            assertTrue(ring.supports(IoUringAbi.IORING_OP_READ));
            assertTrue(ring.hasFlag(IoUringAbi.IORING_SETUP_SINGLE_ISSUER), "6.18 accepts SINGLE_ISSUER");
            assertEquals(32, ring.sqEntries());
            assertEquals(64, ring.cqEntries());
        }
    }

    @Test
    void nopsCompleteWithTheirUserData() {
        try (Ring ring = openOrSkip(8, 0)) {
            for (int i = 0; i < 5; i++) nop(ring, 100 + i);
            assertEquals(5, ring.submitAndWait(5, -1));
            BitSet seen = new BitSet();
            int n = ring.reap((ud, res, flags) -> { assertEquals(0, res); seen.set((int) ud - 100); });
            assertEquals(5, n);
            assertEquals(5, seen.cardinality());
        }
    }

    @Test
    void tenThousandOpsInFlightThroughA64EntryCqLoseNothing() {
        try (Ring ring = openOrSkip(32, 64)) {
            assertEquals(64, ring.cqEntries());
            int total = 10_000;
            for (int i = 0; i < total; i++) {
                nop(ring, i);
            }
            ring.submit(true);
            assertTrue(ring.cqOverflowed(), "10,000 completions cannot fit in 64 CQ entries");
            BitSet seen = new BitSet();
            int[] count = {0};
            while (count[0] < total) {
                ring.submit(true);
                ring.reap((ud, res, flags) -> { seen.set((int) ud); count[0]++; });
            }
            assertEquals(total, count[0]);
            assertEquals(total, seen.cardinality(), "every user_data exactly once");
        }
    }

    @Test
    void fillingAnSqeAllocatesNothing() {
        try (Ring ring = openOrSkip(64, 0)) {
            com.sun.management.ThreadMXBean mx =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
            fillRounds(ring, mx, 1000); // warm-up: JIT, class init
            long allocated = fillRounds(ring, mx, 200);
            System.out.println("200 x 64 SQEs filled: " + allocated + " bytes allocated while filling");
            assertTrue(allocated < 256, "filling SQEs allocated " + allocated + " bytes");
        }
    }

    /**
     * Fills the whole SQ (a NOP, flags and a user_data each) {@code rounds} times, submitting and
     * reaping in between; returns the bytes allocated while filling only (the syscall wrapper's
     * errno capture is not the SQE path).
     */
    private static long fillRounds(Ring ring, com.sun.management.ThreadMXBean mx, int rounds) {
        long allocated = 0;
        for (int r = 0; r < rounds; r++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            Sqe sqe;
            int i = 0;
            while ((sqe = ring.nextSqe()) != null) {
                sqe.prepNop().flags(0).userData(UserData.op(r, i++));
            }
            allocated += mx.getCurrentThreadAllocatedBytes() - before;
            ring.submit(true);
            ring.reap(DISCARD);
        }
        return allocated;
    }

    private static final Ring.CompletionHandler DISCARD = (ud, res, flags) -> { };
}
