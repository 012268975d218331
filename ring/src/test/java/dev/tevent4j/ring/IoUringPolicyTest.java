package dev.tevent4j.ring;

import dev.tevent4j.linux.Errno;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explanations for each policy the kernel publishes (the live ones: RingRefusalTest). */
class IoUringPolicyTest {
    private static final String NO_FILTER = "Name:\tjava\nSeccomp:\t0\nSeccomp_filters:\t0\n";
    private static final String FILTERED = "Name:\tjava\nSeccomp:\t2\nSeccomp_filters:\t1\n";

    @Test
    void sysctlTwoIsNamedWithItsValueAndTheFix() {
        String why = IoUringPolicy.explain(Errno.EPERM, "2\n", "-1\n", NO_FILTER);
        assertTrue(why.contains("kernel.io_uring_disabled = 2"), why);
        assertTrue(why.contains("sysctl -w kernel.io_uring_disabled=0"), why);
    }

    @Test
    void sysctlOneNamesTheGroup() {
        String why = IoUringPolicy.explain(Errno.EPERM, "1\n", "1234\n", NO_FILTER);
        assertTrue(why.contains("kernel.io_uring_disabled = 1"), why);
        assertTrue(why.contains("group 1234"), why);
    }

    @Test
    void seccompFilterIsNamedFromProcStatus() {
        String why = IoUringPolicy.explain(Errno.ENOSYS, "0\n", "-1\n", FILTERED);
        assertTrue(why.contains("seccomp filter (Seccomp: 2, Seccomp_filters: 1"), why);
        assertTrue(why.contains("io_uring_enter"), why);
    }

    @Test
    void noPolicyFoundSaysWhatWasChecked() {
        String why = IoUringPolicy.explain(Errno.EPERM, "0\n", "-1\n", NO_FILTER);
        assertTrue(why.contains("kernel.io_uring_disabled = 0 and no seccomp filter"), why);
        String noSysctl = IoUringPolicy.explain(Errno.ENOSYS, null, null, NO_FILTER);
        assertTrue(noSysctl.contains("this kernel has no io_uring"), noSysctl);
    }

    @Test
    void otherErrnosAreNotAPolicy() {
        assertEquals("", IoUringPolicy.explain(Errno.ENOMEM, "2\n", "-1\n", FILTERED));
        assertEquals("", IoUringPolicy.explain(Errno.EINVAL, "2\n", "-1\n", FILTERED));
    }

    @Test
    void seccompModeIsParsed() {
        assertFalse(IoUringPolicy.underSeccomp(NO_FILTER));
        assertTrue(IoUringPolicy.underSeccomp(FILTERED));
        assertFalse(IoUringPolicy.underSeccomp(null));
    }
}
