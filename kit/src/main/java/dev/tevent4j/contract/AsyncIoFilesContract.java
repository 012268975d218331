package dev.tevent4j.contract;

import dev.tevent4j.AsyncIo;
import dev.tevent4j.Msg;
import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.ErrnoException;
import dev.tevent4j.linux.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AsyncIo's file and message ops (docs/asyncio.md, "Files and messages") against real sockets,
 * pipes and a temp directory on /tmp. The ring and the thread pool must give the same results
 * and errnos; where the plain syscall can say what the answer is, the test asks it (through
 * {@link Libc}) and compares.
 */
public abstract class AsyncIoFilesContract extends LoopContract {
    // x86_64 errno values Errno has no constant for (as <errno.h>).
    private static final int ESPIPE = 29, ERANGE = 34, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61;
    private static final int F_GETFD = 1, FD_CLOEXEC = 1;

    private Arena arena;
    private Path dir;
    private int dirFd = -1;

    @BeforeEach
    void openArenaAndDirectory() throws IOException {
        arena = Arena.ofShared();
        dir = Files.createTempDirectory(Path.of("/tmp"), "tevent4j-files");
        dirFd = Libc.open(arena.allocateFrom(dir.toString()), Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        assertTrue(dirFd >= 0, "open the temp dir: " + Errno.name(-dirFd));
        track(new int[] {dirFd});
    }

    @AfterEach
    void closeArenaAndDirectory() throws IOException {
        loop.close(); // drains ops before their buffers go
        arena.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private AsyncIo io() {
        return loop.io();
    }

    private MemorySegment bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        return m;
    }

    private static String text(MemorySegment m, int n) {
        return new String(m.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The errno {@code r} fails with, once it completed. */
    private int awaitErrno(Request<Integer> r) {
        loop.runUntil(() -> !r.isInProgress());
        return errnoOf(r);
    }

    private void assertErrno(int expected, Request<Integer> r) {
        assertEquals(Errno.name(expected), Errno.name(awaitErrno(r)));
    }

    /** A file in the temp dir with {@code content}, opened read-write through the loop. */
    private int file(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
        int fd = io().openat(dirFd, name, Libc.O_RDWR, 0).await();
        track(new int[] {fd});
        return fd;
    }

    private String readAll(int fd) {
        MemorySegment buf = arena.allocate(256);
        int n = io().read(fd, buf, 0).await();
        return text(buf, n);
    }

    // ---------------------------------------------------------------- support

    @Test
    void everyFileAndMessageOpIsSupportedHere() {
        // The pool does every op; the ring asks the probe, and this kernel (6.1+) has them all.
        for (AsyncIo.Op op : EnumSet.of(AsyncIo.Op.SENDMSG_ZC, AsyncIo.Op.OPENAT2, AsyncIo.Op.UNLINKAT,
                AsyncIo.Op.RENAMEAT, AsyncIo.Op.MKDIRAT, AsyncIo.Op.FGETXATTR, AsyncIo.Op.FSETXATTR,
                AsyncIo.Op.FADVISE, AsyncIo.Op.TEE)) {
            assertTrue(io().supports(op), io().kind() + " supports " + op);
        }
    }

    // ---------------------------------------------------------------- messages

    @Test
    void scmRightsPassesAnFdThatWorksOnTheOtherSide() throws IOException {
        int fileFd = file("passed.txt", "read through the passed fd");
        int[] sp = socketpair();
        Msg out = Msg.allocate(arena, 0, Msg.rightsSpace(1), bytes("x")).rights(fileFd);
        assertEquals(1, io().sendmsg(sp[0], out, 0).await());

        MemorySegment buf = arena.allocate(16);
        Msg in = Msg.allocate(arena, 0, Msg.rightsSpace(4), buf);
        assertEquals(1, io().recvmsg(sp[1], in, 0).await());
        assertEquals('x', buf.get(ValueLayout.JAVA_BYTE, 0));
        int[] fds = in.receivedFds();
        track(fds);
        assertEquals(1, fds.length, "one fd came");
        assertNotEquals(fileFd, fds[0], "the kernel installs a new fd");
        assertEquals(0, in.flags() & Libc.MSG_CTRUNC);
        assertEquals(FD_CLOEXEC, Libc.fcntl(fds[0], F_GETFD, 0) & FD_CLOEXEC, "recvmsg adds MSG_CMSG_CLOEXEC");
        assertEquals("read through the passed fd", readAll(fds[0]));
    }

    @Test
    void fdsBeyondTheControlCapacityAreCutWithMsgCtrunc() throws IOException {
        int a = file("a.txt", "a"), b = file("b.txt", "b"), c = file("c.txt", "c");
        int[] sp = socketpair();
        Msg out = Msg.allocate(arena, 0, Msg.rightsSpace(3), bytes("y")).rights(a, b, c);
        assertEquals(1, io().sendmsg(sp[0], out, 0).await());
        Msg in = Msg.allocate(arena, 0, Msg.rightsSpace(1), arena.allocate(8));
        assertEquals(1, io().recvmsg(sp[1], in, 0).await());
        int[] fds = track(in.receivedFds());
        assertTrue(fds.length < 3, "at most what fits: " + fds.length);
        assertEquals(Libc.MSG_CTRUNC, in.flags() & Libc.MSG_CTRUNC);
    }

    /** A non-blocking UDP socket bound to 127.0.0.1 on a free port; returns {fd, port}. */
    private int[] udpSocket() {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        assertTrue(fd >= 0, "socket: " + Errno.name(-fd));
        track(new int[] {fd});
        MemorySegment addr = Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, 0);
        assertEquals(0, Libc.bind(fd, addr, (int) addr.byteSize()));
        MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
        len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
        assertEquals(0, Libc.getsockname(fd, addr, len));
        return new int[] {fd, Libc.port(addr)};
    }

    @Test
    void udpRecvmsgGivesTheSendersAddressAndPort() {
        int[] sender = udpSocket(), receiver = udpSocket();
        Msg out = Msg.allocate(arena, (int) Libc.SOCKADDR_IN.byteSize(), 0, bytes("data"), bytes("gram"))
                .name(Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, receiver[1]));
        assertEquals(8, io().sendmsg(sender[0], out, 0).await());

        MemorySegment buf = arena.allocate(64);
        Msg in = Msg.allocate(arena, (int) Libc.SOCKADDR_IN.byteSize(), 0, buf);
        assertEquals(8, io().recvmsg(receiver[0], in, 0).await());
        assertEquals("datagram", text(buf, 8));
        assertEquals(Libc.SOCKADDR_IN.byteSize(), in.nameLength());
        MemorySegment from = in.name();
        assertEquals(Libc.AF_INET, from.get(ValueLayout.JAVA_SHORT, 0));
        assertEquals(sender[1], Libc.port(from), "the sender's port");
        assertEquals(Libc.INADDR_LOOPBACK, Integer.reverseBytes(from.get(ValueLayout.JAVA_INT, 4)));
        assertEquals(0, in.flags() & Libc.MSG_TRUNC);

        // A reply to the address just received: the Msg is reusable, the name stays set.
        Msg reply = Msg.allocate(arena, (int) Libc.SOCKADDR_IN.byteSize(), 0, bytes("pong")).name(from);
        assertEquals(4, io().sendmsg(receiver[0], reply, 0).await());
        assertEquals(4, io().recvmsg(sender[0], in, 0).await(), "the same Msg receives again");
        assertEquals("pong", text(buf, 4));
        assertEquals(receiver[1], Libc.port(in.name()));
    }

    @Test
    void aDatagramLongerThanTheBuffersIsCutWithMsgTrunc() {
        int[] sender = udpSocket(), receiver = udpSocket();
        Msg out = Msg.allocate(arena, 16, 0, bytes("0123456789"))
                .name(Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, receiver[1]));
        assertEquals(10, io().sendmsg(sender[0], out, 0).await());
        Msg in = Msg.allocate(arena, 16, 0, arena.allocate(4));
        assertEquals(4, io().recvmsg(receiver[0], in, 0).await());
        assertEquals(Libc.MSG_TRUNC, in.flags() & Libc.MSG_TRUNC);
    }

    @Test
    void recvmsgOnAMsgWaitsForDataAndCanBeCancelled() {
        int[] sp = Fds.blockingSocketpair();
        track(sp);
        MemorySegment buf = arena.allocate(8);
        Msg in = Msg.allocate(arena, 0, 0, buf);
        Request<Integer> waiting = io().recvmsg(sp[0], in, 0);
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(sp[1], (byte) 3));
        assertEquals(1, waiting.await());
        assertEquals(3, buf.get(ValueLayout.JAVA_BYTE, 0));

        Request<Integer> cancelled = io().recvmsg(sp[0], in, 0);
        loop.addTimer(java.time.Duration.ofMillis(10), (t, now) -> assertFalse(cancelled.cancel(), "completes later"));
        assertErrno(Errno.ECANCELED, cancelled);
    }

    @Test
    void sendmsgOnAFileFailsWithEnotsock() throws IOException {
        int fd = file("not-a-socket", "");
        assertErrno(Errno.ENOTSOCK, io().sendmsg(fd, Msg.allocate(arena, 0, 0, bytes("z")), 0));
        assertErrno(Errno.ENOTSOCK, io().recvmsg(fd, Msg.allocate(arena, 0, 0, arena.allocate(1)), 0));
    }

    @Test
    void sendmsgZeroCopyCompletesWithTheCountOnceTheBuffersAreFree() {
        int[] tcp = tcpPair();
        MemorySegment a = arena.allocate(32 * 1024), b = arena.allocate(32 * 1024);
        a.fill((byte) 1);
        b.fill((byte) 2);
        Msg msg = Msg.allocate(arena, 0, 0, a, b);
        int sent = io().sendmsgZeroCopy(tcp[0], msg, 0).await();
        assertTrue(sent > 0 && sent <= 64 * 1024, "sent " + sent);
        long got = 0;
        long until = System.nanoTime() + 5_000_000_000L;
        while (got < sent && System.nanoTime() < until) {
            byte[] r = Fds.read(tcp[1], 65536);
            if (r != null) got += r.length;
        }
        assertEquals(sent, got);
    }

    @Test
    void sendmsgZeroCopyOverUdpWithAnAddress() {
        int[] sender = udpSocket(), receiver = udpSocket();
        Msg out = Msg.allocate(arena, 16, 0, bytes("zero-copy"))
                .name(Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, receiver[1]));
        assertEquals(9, io().sendmsgZeroCopy(sender[0], out, 0).await());
        MemorySegment buf = arena.allocate(32);
        assertEquals(9, io().recvmsg(receiver[0], Msg.allocate(arena, 16, 0, buf), 0).await());
        assertEquals("zero-copy", text(buf, 9));
    }

    @Test
    void sendmsgZeroCopyOnAUnixSocketFailsWithEopnotsupp() throws IOException {
        // io_uring refuses sockets without zero-copy support (only TCP and UDP have it); the
        // pool's emulation answers the same instead of quietly copying.
        int[] sp = socketpair();
        assertErrno(Errno.EOPNOTSUPP, io().sendmsgZeroCopy(sp[0], Msg.allocate(arena, 0, 0, bytes("u")), 0));
        int fd = file("not-a-socket", "");
        assertErrno(Errno.ENOTSOCK, io().sendmsgZeroCopy(fd, Msg.allocate(arena, 0, 0, bytes("u")), 0));
    }

    @Test
    void msgArgumentsAreCheckedAtTheCall() {
        assertThrows(NullPointerException.class, () -> io().sendmsg(0, (Msg) null, 0));
        assertThrows(IllegalArgumentException.class, () -> io().recvmsg(-1, Msg.allocate(arena, 0, 0, arena.allocate(1)), 0));
        var heap = assertThrows(IllegalArgumentException.class,
                () -> Msg.allocate(arena, 0, 0, MemorySegment.ofArray(new byte[4])));
        assertTrue(heap.getMessage().contains("heap"), heap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Msg.allocate(arena, 0, 0));
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> Msg.allocate(arena, 0, Msg.rightsSpace(1), arena.allocate(1)).rights(1, 2, 3));
        assertTrue(tooMany.getMessage().contains("rightsSpace"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Msg.allocate(arena, 4, 0, arena.allocate(1)).name(Libc.sockaddrIn(arena, Libc.INADDR_LOOPBACK, 1)));
        assertEquals(0, io().nop().await(), "the loop still works");
    }

    // ---------------------------------------------------------------- openat2

    /** The temp dir as a root: a file, a subdirectory, a file outside and symlinks in and out. */
    private Path outside;

    private void makeRoot() throws IOException {
        Files.writeString(dir.resolve("inside.txt"), "inside");
        Files.createDirectory(dir.resolve("sub"));
        outside = Files.createTempFile(Path.of("/tmp"), "tevent4j-outside", ".txt");
        Files.writeString(outside, "outside");
        Files.createSymbolicLink(dir.resolve("relative-out"), Path.of("..").resolve(outside.getFileName()));
        Files.createSymbolicLink(dir.resolve("absolute-out"), outside);
        Files.createSymbolicLink(dir.resolve("link-in"), Path.of("inside.txt"));
    }

    private void deleteOutside() throws IOException {
        if (outside != null) Files.deleteIfExists(outside);
    }

    /** openat2 through the loop, checked against the synchronous syscall with the same arguments. */
    private Request<Integer> openat2(String path, int flags, int mode, long resolve) {
        int expected = Libc.openat2(dirFd, arena.allocateFrom(path), flags | Libc.O_CLOEXEC, mode, resolve, arena);
        if (expected >= 0) Libc.close(expected);
        Request<Integer> r = io().openat2(dirFd, path, flags, mode, resolve);
        loop.runUntil(() -> !r.isInProgress());
        if (expected >= 0) {
            int fd = r.result();
            track(new int[] {fd});
        } else {
            assertEquals(Errno.name(-expected), Errno.name(awaitErrno(r)), "as the openat2 syscall answers for " + path);
        }
        return r;
    }

    @Test
    void openat2BeneathOpensAPathInsideAndRefusesEveryWayOutWithExdev() throws IOException {
        makeRoot();
        try {
            assertEquals("inside", readAll(openat2("inside.txt", Libc.O_RDONLY, 0, Libc.RESOLVE_BENEATH).result()));
            assertEquals("inside", readAll(openat2("sub/../inside.txt", Libc.O_RDONLY, 0, Libc.RESOLVE_BENEATH).result()));
            assertEquals("inside", readAll(openat2("link-in", Libc.O_RDONLY, 0, Libc.RESOLVE_BENEATH).result()));
            for (String out : new String[] {"../" + outside.getFileName(), "sub/../../" + outside.getFileName(),
                    outside.toString(), "relative-out", "absolute-out"}) {
                assertErrno(Errno.EXDEV, openat2(out, Libc.O_RDONLY, 0, Libc.RESOLVE_BENEATH));
            }
            // Without the restriction the same paths do leave: the refusals above are RESOLVE_BENEATH's.
            assertEquals("outside", readAll(openat2("relative-out", Libc.O_RDONLY, 0, 0).result()));
        } finally {
            deleteOutside();
        }
    }

    @Test
    void openat2ResolveFlagsAndOpenHowChecks() throws IOException {
        makeRoot();
        try {
            assertErrno(ELOOP, openat2("link-in", Libc.O_RDONLY, 0, Libc.RESOLVE_NO_SYMLINKS));
            // IN_ROOT: an absolute path, or an absolute symlink, resolves inside the root.
            assertEquals("inside", readAll(openat2("/inside.txt", Libc.O_RDONLY, 0, Libc.RESOLVE_IN_ROOT).result()));
            assertErrno(Errno.ENOENT, openat2("absolute-out", Libc.O_RDONLY, 0, Libc.RESOLVE_IN_ROOT));
            assertErrno(Errno.EINVAL, openat2("inside.txt", Libc.O_RDONLY, 0644, 0)); // a mode without O_CREAT
            assertErrno(Errno.EINVAL, openat2("inside.txt", Libc.O_RDONLY, 0, 1L << 40)); // an unknown resolve bit
            assertErrno(Errno.ENOENT, openat2("missing", Libc.O_RDONLY, 0, Libc.RESOLVE_BENEATH));
            int created = openat2("created.txt", Libc.O_RDWR | Libc.O_CREAT, 0600, Libc.RESOLVE_BENEATH).result();
            assertTrue(Files.exists(dir.resolve("created.txt")));
            assertEquals(FD_CLOEXEC, Libc.fcntl(created, F_GETFD, 0) & FD_CLOEXEC, "O_CLOEXEC is added");
            var nul = assertThrows(IllegalArgumentException.class, () -> io().openat2(dirFd, "a\0b", 0, 0, 0));
            assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
            assertThrows(NullPointerException.class, () -> io().openat2(dirFd, null, 0, 0, 0));
        } finally {
            deleteOutside();
        }
    }

    // ---------------------------------------------------------------- directories and names

    @Test
    void mkdiratRenameatUnlinkatAndTheirErrnos() throws IOException {
        assertEquals(0, io().mkdirat(dirFd, "d", 0755).await());
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertErrno(Errno.EEXIST, io().mkdirat(dirFd, "d", 0755));
        assertErrno(Errno.ENOENT, io().mkdirat(dirFd, "no/such/parent", 0755));

        Files.writeString(dir.resolve("d/a"), "A");
        assertEquals(0, io().renameat(dirFd, "d/a", dirFd, "b", 0).await());
        assertFalse(Files.exists(dir.resolve("d/a")));
        assertEquals("A", Files.readString(dir.resolve("b")));
        assertErrno(Errno.ENOENT, io().renameat(dirFd, "d/a", dirFd, "c", 0));
        Files.writeString(dir.resolve("c"), "C");
        assertErrno(Errno.EEXIST, io().renameat(dirFd, "b", dirFd, "c", Libc.RENAME_NOREPLACE));
        assertEquals(0, io().renameat(dirFd, "b", Libc.AT_FDCWD, dir.resolve("c").toString(), Libc.RENAME_EXCHANGE).await());
        assertEquals("C", Files.readString(dir.resolve("b")));
        assertEquals("A", Files.readString(dir.resolve("c")));

        assertEquals(0, io().unlinkat(dirFd, "b", 0).await());
        assertFalse(Files.exists(dir.resolve("b")));
        assertErrno(Errno.ENOENT, io().unlinkat(dirFd, "b", 0));
        assertErrno(Errno.EISDIR, io().unlinkat(dirFd, "d", 0));
        Files.writeString(dir.resolve("d/keep"), "");
        assertErrno(ENOTEMPTY, io().unlinkat(dirFd, "d", Libc.AT_REMOVEDIR));
        assertErrno(Errno.EINVAL, io().unlinkat(dirFd, "c", 0x1)); // only AT_REMOVEDIR is a flag here
        Files.delete(dir.resolve("d/keep"));
        assertEquals(0, io().unlinkat(dirFd, "d", Libc.AT_REMOVEDIR).await());
        assertFalse(Files.exists(dir.resolve("d")));
    }

    @Test
    void renameatWithPathsLongerThanTheRingsScratch() throws IOException {
        String deep = "x".repeat(200) + "/" + "y".repeat(200);
        Files.createDirectory(dir.resolve("x".repeat(200)));
        Files.writeString(dir.resolve(deep), "long");
        String to = "x".repeat(200) + "/" + "z".repeat(200);
        assertEquals(0, io().renameat(dirFd, deep, dirFd, to, 0).await());
        assertEquals("long", Files.readString(dir.resolve(to)));
    }

    @Test
    void pathArgumentsAreCheckedAtTheCall() {
        assertThrows(NullPointerException.class, () -> io().unlinkat(dirFd, null, 0));
        assertThrows(NullPointerException.class, () -> io().renameat(dirFd, "a", dirFd, null, 0));
        assertThrows(IllegalArgumentException.class, () -> io().mkdirat(dirFd, "a\0", 0755));
        assertEquals(0, io().nop().await(), "the loop still works");
    }

    // ---------------------------------------------------------------- xattrs

    @Test
    void xattrsSetGetAndTheirErrnos() throws IOException {
        int fd = file("attrs.txt", "content");
        Request<Integer> set = io().fsetxattr(fd, "user.tevent4j", bytes("v1"), Libc.XATTR_CREATE);
        loop.runUntil(() -> !set.isInProgress());
        if (set.isError() && set.cause() instanceof ErrnoException e && e.errno() == Errno.EOPNOTSUPP) {
            System.err.println("SKIPPED: " + dir + " refuses user.* xattrs (EOPNOTSUPP)");
            Assumptions.abort(dir + " refuses user.* xattrs (EOPNOTSUPP)");
        }
        assertEquals(0, set.result());
        assertErrno(Errno.EEXIST, io().fsetxattr(fd, "user.tevent4j", bytes("v2"), Libc.XATTR_CREATE));
        assertErrno(ENODATA, io().fsetxattr(fd, "user.absent", bytes("v"), Libc.XATTR_REPLACE));
        assertEquals(0, io().fsetxattr(fd, "user.tevent4j", bytes("value 2"), Libc.XATTR_REPLACE).await());

        MemorySegment value = arena.allocate(64);
        assertEquals(7, io().fgetxattr(fd, "user.tevent4j", value).await());
        assertEquals("value 2", text(value, 7));
        assertEquals(7, io().fgetxattr(fd, "user.tevent4j", MemorySegment.NULL).await(), "a size query");
        assertErrno(ERANGE, io().fgetxattr(fd, "user.tevent4j", arena.allocate(3)));
        assertErrno(ENODATA, io().fgetxattr(fd, "user.absent", value));
        assertErrno(Errno.EBADF, io().fgetxattr(1_000_000, "user.tevent4j", value));
        // The syscall agrees: the attribute is really on the file.
        MemorySegment check = arena.allocate(64);
        assertEquals(7, Libc.fgetxattr(fd, arena.allocateFrom("user.tevent4j"), check, 64));
        assertArrayEquals(value.asSlice(0, 7).toArray(ValueLayout.JAVA_BYTE), check.asSlice(0, 7).toArray(ValueLayout.JAVA_BYTE));

        assertThrows(IllegalArgumentException.class, () -> io().fgetxattr(fd, "user.x", MemorySegment.ofArray(new byte[4])));
        assertThrows(NullPointerException.class, () -> io().fsetxattr(fd, null, value, 0));
        assertThrows(IllegalArgumentException.class, () -> io().fsetxattr(-1, "user.x", value, 0));
    }

    // ---------------------------------------------------------------- fadvise, tee

    @Test
    void fadviseSucceedsOnAFileAndFailsAsTheSyscallDoes() throws IOException {
        int fd = file("advised.txt", "x".repeat(10_000));
        assertEquals(0, io().fadvise(fd, 0, 0, Libc.POSIX_FADV_SEQUENTIAL).await());
        assertEquals(0, io().fadvise(fd, 4096, 4096, Libc.POSIX_FADV_WILLNEED).await());
        assertEquals(0, io().fadvise(fd, 0, 0, Libc.POSIX_FADV_DONTNEED).await());
        assertErrno(Errno.EINVAL, io().fadvise(fd, 0, 0, 99));
        int[] p = pipe();
        assertEquals(-ESPIPE, Libc.fadvise(p[0], 0, 0, Libc.POSIX_FADV_NORMAL), "the syscall's answer");
        assertErrno(ESPIPE, io().fadvise(p[0], 0, 0, Libc.POSIX_FADV_NORMAL));
        assertThrows(IllegalArgumentException.class, () -> io().fadvise(fd, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> io().fadvise(fd, 0, 1L << 32, 0));
    }

    @Test
    void teeCopiesPipeDataWithoutConsumingIt() {
        int[] a = pipe(), b = pipe();
        Fds.write(a[1], "teedata".getBytes(StandardCharsets.UTF_8));
        assertEquals(7, io().tee(a[0], b[1], 64, 0).await());
        assertEquals("teedata", new String(Fds.read(b[0], 64), StandardCharsets.UTF_8));
        assertEquals("teedata", new String(Fds.read(a[0], 64), StandardCharsets.UTF_8), "still in the input");
        Fds.write(a[1], (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        assertEquals(3, io().tee(a[0], b[1], 3, 0).await(), "at most len");
        assertArrayEquals(new byte[] {1, 2, 3}, Fds.read(b[0], 64));
    }

    @Test
    void teeOnBlockingPipesWaitsForData() {
        int[] a = Fds.blockingPipe(), b = Fds.blockingPipe();
        track(a);
        track(b);
        Request<Integer> r = io().tee(a[0], b[1], 64, 0);
        loop.addTimer(java.time.Duration.ofMillis(20), (t, now) -> Fds.write(a[1], (byte) 7, (byte) 8));
        assertEquals(2, r.await());
        assertArrayEquals(new byte[] {7, 8}, Fds.read(b[0], 64));
    }

    @Test
    void teeOfANonPipeFailsWithEinval() throws IOException {
        int fd = file("not-a-pipe", "abc");
        int[] b = pipe();
        assertErrno(Errno.EINVAL, io().tee(fd, b[1], 3, 0));
        assertThrows(IllegalArgumentException.class, () -> io().tee(fd, b[1], -1, 0));
    }
}
