package dev.tevent4j.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link UserData}: every kind round-trips, and no two kinds can collide. */
class UserDataTest {
    @Test
    void fieldsRoundTrip() {
        for (int kind : new int[] {UserData.OP, UserData.POLL, UserData.POLL_REMOVE}) {
            long ud = UserData.encode(kind, 0x2ABC_DEF0, -2);
            assertEquals(kind, UserData.kind(ud));
            assertEquals(0x2ABC_DEF0, UserData.generation(ud));
            assertEquals(-2, UserData.index(ud));
        }
        assertEquals(UserData.IGNORED, UserData.kind(UserData.ignored(-1L)));
        assertEquals((1L << 62) - 1, UserData.payload(UserData.ignored(-1L)));
    }

    @Test
    void aTargetedCancelNamesItsOpAndNoOtherIgnoredValue() {
        long op = UserData.op(0x3FFF_FFFE, 1234);
        long cancel = UserData.targetedCancel(op);
        assertEquals(UserData.IGNORED, UserData.kind(cancel));
        assertTrue(UserData.isTargetedCancel(cancel));
        assertEquals(op, UserData.targetOf(cancel));
        assertFalse(UserData.isTargetedCancel(UserData.ignored(0)), "tevent4j's plain cancels");
        assertFalse(UserData.isTargetedCancel(UserData.ignored(1)), "link timeouts");
        assertFalse(UserData.isTargetedCancel(op), "the op itself");
        assertFalse(UserData.isTargetedCancel(UserData.poll(1, Integer.MIN_VALUE)), "bit 31 set in a poll of another kind");
    }

    @Test
    void generationWrapsWithinItsField() {
        assertEquals(0, UserData.nextGeneration(UserData.GENERATION_MASK));
        long ud = UserData.op(UserData.GENERATION_MASK + 5, 3);
        assertEquals(UserData.OP, UserData.kind(ud), "an oversized generation never spills into the kind");
        assertEquals(4, UserData.generation(ud));
    }

    @Test
    void pollsAndTheirRemovalsPair() {
        long poll = UserData.poll(7, 42);
        assertTrue(UserData.isPollKind(poll));
        long removal = UserData.removalOf(poll);
        assertEquals(UserData.POLL_REMOVE, UserData.kind(removal));
        assertTrue(UserData.isPollKind(removal));
        assertEquals(poll, UserData.pollOf(removal));
        assertEquals(42, UserData.index(removal));
        assertFalse(UserData.isPollKind(UserData.op(7, 42)));
        assertFalse(UserData.isPollKind(UserData.ignored(-1L)));
    }
}
