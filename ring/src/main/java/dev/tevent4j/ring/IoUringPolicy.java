package dev.tevent4j.ring;

import dev.tevent4j.linux.Errno;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says why the kernel refuses io_uring to this process, and what would change that, from what
 * the kernel publishes about its own policy: the sysctl {@code kernel.io_uring_disabled} (0 all
 * may use it, 1 only root and the group in {@code kernel.io_uring_group}, 2 nobody; Linux 6.6+)
 * and the seccomp mode in {@code /proc/self/status} (a container runtime's default profile, for
 * one, refuses the three io_uring syscalls with EPERM or ENOSYS).
 *
 * <p>A refusal is read at the moment it happens, so a policy changed while the JVM runs is
 * reported as it is now.
 */
final class IoUringPolicy {
    private static final Path DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final Path GROUP = Path.of("/proc/sys/kernel/io_uring_group");
    private static final Path STATUS = Path.of("/proc/self/status");

    private IoUringPolicy() {}

    /** The explanation for a refusal with {@code errno} (positive), read from this machine now. */
    static String explain(int errno) {
        return explain(errno, read(DISABLED), read(GROUP), read(STATUS));
    }

    /**
     * The explanation for {@code errno} given the contents of the sysctl files and of
     * /proc/self/status ({@code null} where a file could not be read), starting with " — ", or
     * "" when nothing is known to explain it.
     */
    static String explain(int errno, String disabled, String group, String status) {
        if (errno != Errno.EPERM && errno != Errno.EACCES && errno != Errno.ENOSYS) return "";
        String sysctl = disabled == null ? null : disabled.strip();
        if ("2".equals(sysctl)) {
            return " — kernel.io_uring_disabled = 2: io_uring is off for every process"
                    + " (as root: sysctl -w kernel.io_uring_disabled=0)";
        }
        boolean seccomp = underSeccomp(status);
        if ("1".equals(sysctl) && errno != Errno.ENOSYS && !seccomp) {
            String g = group == null ? "?" : group.strip();
            return " — kernel.io_uring_disabled = 1: only root (CAP_SYS_ADMIN) and members of group "
                    + g + " (kernel.io_uring_group) may set up rings"
                    + " (add the user to that group, or sysctl -w kernel.io_uring_disabled=0)";
        }
        if (seccomp) {
            return " — this process runs under a seccomp filter (" + seccompLine(status)
                    + " in /proc/self/status) that refuses io_uring: allow io_uring_setup, io_uring_enter"
                    + " and io_uring_register in its profile (a container: --security-opt seccomp=...)";
        }
        if (errno == Errno.ENOSYS) {
            return " — this kernel has no io_uring (built without CONFIG_IO_URING)"
                    + (sysctl == null ? "" : ", kernel.io_uring_disabled = " + sysctl);
        }
        return " — kernel.io_uring_disabled = " + (sysctl == null ? "unknown (no such sysctl)" : sysctl)
                + " and no seccomp filter: an LSM policy (SELinux io_uring class, AppArmor) may refuse it";
    }

    /** Whether /proc/self/status reports a seccomp mode other than 0 (1 strict, 2 filter). */
    static boolean underSeccomp(String status) {
        String mode = field(status, "Seccomp:");
        return mode != null && !mode.equals("0");
    }

    private static String seccompLine(String status) {
        String mode = field(status, "Seccomp:");
        String filters = field(status, "Seccomp_filters:");
        return "Seccomp: " + mode + (filters == null ? "" : ", Seccomp_filters: " + filters);
    }

    private static String field(String status, String name) {
        if (status == null) return null;
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).strip();
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
