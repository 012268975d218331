package dev.tevent4j.contract;

import dev.tevent4j.LoopWrapper;
import dev.tevent4j.Request;
import dev.tevent4j.WrapperHooks;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import dev.tevent4j.linux.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Per-op credentials through a wrapper (IORING_REGISTER_PERSONALITY): an openat through the
 * wrapper runs as the user whose credentials were registered, so a root-only file is refused
 * to it while the plain loop opens it. Needs io_uring and root (it switches the loop thread to
 * uid 65534 for the registration); without them the test is skipped with the reason, and the
 * backend without a ring refuses the registration.
 */
public abstract class PersonalityContract extends LoopContract {
    /** x86_64's setresuid: a raw syscall changes the calling thread only (glibc's wrapper changes every thread). */
    private static final long SYS_SETRESUID = 117;
    private static final MethodHandle SYSCALL3 = Native.withErrnoVariadic("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final int NOBODY = 65534;
    private static final long UNCHANGED = -1;

    private boolean hasRing() {
        return loop.io().kind().equals("io_uring");
    }

    private static int effectiveUidOfThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[2]);
        }
        throw new IllegalStateException("/proc/thread-self/status has no Uid line");
    }

    /** Sets this thread's effective uid (real and saved stay root, so it can come back). */
    private static void setEffectiveUid(long euid) {
        MemorySegment c = Native.capture();
        long rc;
        try {
            rc = (long) SYSCALL3.invokeExact(c, SYS_SETRESUID, UNCHANGED, euid, UNCHANGED);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (rc != 0) throw new IllegalStateException("setresuid(-1, " + euid + ", -1): " + Errno.name(Native.errno(c)));
    }

    private void assumeRingAndRoot() throws IOException {
        skipUnless(hasRing(), "per-op credentials need io_uring; the " + backend() + " backend's AsyncIo is " + loop.io().kind());
        int euid = effectiveUidOfThisThread();
        skipUnless(euid == 0, "registering another user's credentials needs root (setresuid); running as uid " + euid);
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) System.out.println("SKIPPED: " + reason);
        assumeTrue(condition, reason);
    }

    @Test
    void openatThroughTheWrapperRunsWithTheRegisteredCredentials(@TempDir Path dir) throws IOException {
        assumeRingAndRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.writeString(dir.resolve("secret"), "root only");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path open = Files.writeString(dir.resolve("public"), "everyone");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        LoopWrapper asNobody = loop.wrapper("nobody", new WrapperHooks() { });
        int id;
        setEffectiveUid(NOBODY);
        try {
            assertEquals(NOBODY, effectiveUidOfThisThread());
            id = asNobody.registerPersonality();
        } finally {
            setEffectiveUid(0);
        }
        assertEquals(0, effectiveUidOfThisThread(), "the loop thread is root again");
        assertTrue(id > 0 && id <= 0xffff, "id " + id);
        assertEquals(id, asNobody.personality());

        Request<Integer> refused = asNobody.io().openat(Libc.AT_FDCWD, secret.toString(), Libc.O_RDONLY, 0);
        Request<Integer> allowedToNobody = asNobody.io().openat(Libc.AT_FDCWD, open.toString(), Libc.O_RDONLY, 0);
        Request<Integer> opened = loop.io().openat(Libc.AT_FDCWD, secret.toString(), Libc.O_RDONLY, 0);
        loop.runUntil(() -> !refused.isInProgress() && !opened.isInProgress() && !allowedToNobody.isInProgress());
        assertTrue(refused.isError(), "nobody may not open a root-only 0600 file: " + refused);
        ErrnoException e = assertInstanceOf(ErrnoException.class, refused.cause());
        assertEquals(Errno.EACCES, e.errno(), e.getMessage());
        int fd = opened.result();
        assertTrue(fd >= 0);
        Fds.close(fd);
        int publicFd = allowedToNobody.result();
        assertTrue(publicFd >= 0, "nobody opens a world-readable file through the wrapper");
        Fds.close(publicFd);
        assertEquals(java.util.List.of(), uncaught);
    }

    @Test
    void aWrapperHasOnePersonalityAndWithoutOneItsIoIsTheMainLoops() throws IOException {
        assumeRingAndRoot();
        LoopWrapper w = loop.wrapper("root again", new WrapperHooks() { });
        assertSame(loop.io(), w.io());
        assertEquals(0, w.personality());
        w.registerPersonality();
        assertThrows(IllegalStateException.class, w::registerPersonality);
        assertTrue(w.io() != loop.io(), "with a personality the wrapper's io is a view");
        w.close();
        assertThrows(IllegalStateException.class, w::registerPersonality);
    }

    @Test
    void withoutARingRegisteringAPersonalityIsUnsupported() {
        skipUnless(!hasRing(), "the " + backend() + " backend has a ring: registering is supported (the tests above)");
        LoopWrapper w = loop.wrapper("nobody", new WrapperHooks() { });
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, w::registerPersonality);
        assertTrue(e.getMessage().contains("io_uring"), e.getMessage());
        assertEquals(0, w.personality());
        assertSame(loop.io(), w.io());
    }
}
