package dev.tevent4j.ring;

import dev.tevent4j.linux.Native;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The io_uring kernel ABI ({@code <linux/io_uring.h>}) bound directly: no liburing. The three
 * syscalls go through libc's variadic {@code syscall(2)}, which returns -1 and sets errno; the
 * wrappers here return the kernel convention (result or -errno). Constants the Debian 12 headers
 * (6.1) lack carry the kernel version that added them; {@code IoUringHeaderTest} checks the rest
 * against the header.
 */
public final class IoUringAbi {
    private IoUringAbi() {}

    /** The syscall numbers of io_uring_setup, io_uring_enter and io_uring_register (one table for every architecture). */
    public static final long SYS_IO_URING_SETUP = 425, SYS_IO_URING_ENTER = 426, SYS_IO_URING_REGISTER = 427;

    /** io_uring_setup flags ({@code io_uring_params.flags}). */
    public static final int IORING_SETUP_CQSIZE = 1 << 3, IORING_SETUP_CLAMP = 1 << 4,
            IORING_SETUP_SUBMIT_ALL = 1 << 7, IORING_SETUP_COOP_TASKRUN = 1 << 8,
            IORING_SETUP_TASKRUN_FLAG = 1 << 9, IORING_SETUP_SINGLE_ISSUER = 1 << 12,
            IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    /** Linux 6.6; not in the 6.1 headers. */
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;

    /** io_uring_enter flags: wait for completions (and run task work); the arg is an io_uring_getevents_arg. */
    public static final int IORING_ENTER_GETEVENTS = 1, IORING_ENTER_EXT_ARG = 1 << 3;

    /** Flags the kernel sets in the shared SQ ring flags word ({@link Ring#sqFlags()}). */
    public static final int IORING_SQ_NEED_WAKEUP = 1, IORING_SQ_CQ_OVERFLOW = 2, IORING_SQ_TASKRUN = 4;

    /** Features the kernel reports in {@code io_uring_params.features} ({@link Ring#features()}). */
    public static final int IORING_FEAT_SINGLE_MMAP = 1, IORING_FEAT_NODROP = 1 << 1,
            IORING_FEAT_SUBMIT_STABLE = 1 << 2, IORING_FEAT_RW_CUR_POS = 1 << 3,
            IORING_FEAT_FAST_POLL = 1 << 5, IORING_FEAT_EXT_ARG = 1 << 8;

    /** mmap offsets of the SQ ring, the CQ ring and the SQE array on the ring fd. */
    public static final long IORING_OFF_SQ_RING = 0L, IORING_OFF_CQ_RING = 0x8000000L, IORING_OFF_SQES = 0x10000000L;

    /** The opcodes this code uses ({@code enum io_uring_op}); IORING_OP_LAST is the count in the 6.1 headers. */
    public static final byte IORING_OP_NOP = 0, IORING_OP_READV = 1, IORING_OP_WRITEV = 2, IORING_OP_FSYNC = 3,
            IORING_OP_POLL_ADD = 6, IORING_OP_POLL_REMOVE = 7, IORING_OP_SENDMSG = 9, IORING_OP_RECVMSG = 10,
            IORING_OP_TIMEOUT = 11, IORING_OP_ASYNC_CANCEL = 14, IORING_OP_OPENAT = 18, IORING_OP_CLOSE = 19,
            IORING_OP_STATX = 21, IORING_OP_READ = 22, IORING_OP_WRITE = 23, IORING_OP_SEND = 26,
            IORING_OP_RECV = 27, IORING_OP_SPLICE = 30, IORING_OP_MSG_RING = 40, IORING_OP_SEND_ZC = 47,
            IORING_OP_LAST = 49;
    // opcodes for files and messages
    /**
     * Opcodes of the file and message ops (all in the 6.1 headers; IoUringFilesHeaderTest checks
     * them). FSETXATTR is 41: 42 is SETXATTR, the path form, which reads its path from addr3.
     */
    public static final byte IORING_OP_FADVISE = 24, IORING_OP_OPENAT2 = 28, IORING_OP_TEE = 33,
            IORING_OP_RENAMEAT = 35, IORING_OP_UNLINKAT = 36, IORING_OP_MKDIRAT = 37,
            IORING_OP_FSETXATTR = 41, IORING_OP_FGETXATTR = 43, IORING_OP_SENDMSG_ZC = 48;

    // opcodes for sockets
    /** accept4(2) and connect(2); IORING_OP_SOCKET (Linux 5.19) dates the multishot accept of the same release. */
    public static final byte IORING_OP_ACCEPT = 13, IORING_OP_CONNECT = 16, IORING_OP_SOCKET = 45;
    /** The SQE's ioprio for IORING_OP_ACCEPT: multishot (5.19). */
    public static final int IORING_ACCEPT_MULTISHOT = 1;
    /** The SQE's ioprio for IORING_OP_RECV/RECVMSG: multishot (6.0); needs IOSQE_BUFFER_SELECT and len 0. */
    public static final int IORING_RECV_MULTISHOT = 1 << 1;
    /** A CQE with IORING_CQE_F_BUFFER carries the buffer id in its flags' upper 16 bits. */
    public static final int IORING_CQE_BUFFER_SHIFT = 16;
    /** io_uring_register opcodes of provided buffer rings (5.19); the argument is one {@link #BUF_REG}. */
    public static final int IORING_REGISTER_PBUF_RING = 22, IORING_UNREGISTER_PBUF_RING = 23;
    /** {@code struct io_uring_buf}: one entry of a provided buffer ring (16 bytes). */
    public static final StructLayout BUF = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"), JAVA_INT.withName("len"), JAVA_SHORT.withName("bid"), JAVA_SHORT.withName("resv"));
    /**
     * The byte offset of {@code struct io_uring_buf_ring}'s tail: the header overlays the first
     * entry, the tail being its {@code resv} (entry 0's addr, len and bid stay usable).
     */
    public static final long BUF_RING_TAIL = 14;
    /** {@code struct io_uring_buf_reg}, the argument of IORING_(UN)REGISTER_PBUF_RING (40 bytes). */
    public static final StructLayout BUF_REG = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"), JAVA_INT.withName("ring_entries"), JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("pad"), MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv"));


    /** IOSQE_* flags, the SQE's flags byte ({@link Sqe#flags}). */
    public static final int IOSQE_FIXED_FILE = 1, IOSQE_IO_DRAIN = 1 << 1, IOSQE_IO_LINK = 1 << 2,
            IOSQE_IO_HARDLINK = 1 << 3, IOSQE_ASYNC = 1 << 4, IOSQE_BUFFER_SELECT = 1 << 5,
            IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    /** IORING_OP_FSYNC's flag: fdatasync instead of fsync. */
    public static final int IORING_FSYNC_DATASYNC = 1;
    /** CQE flags: a provided buffer was used; more CQEs follow for this SQE; this CQE is a zero-copy notification. */
    public static final int IORING_CQE_F_BUFFER = 1, IORING_CQE_F_MORE = 1 << 1, IORING_CQE_F_NOTIF = 1 << 3;
    /** IORING_OP_POLL_ADD flags (the SQE's len): multishot; level (refused by POLL_ADD, see docs/backends.md). */
    public static final int IORING_POLL_ADD_MULTI = 1, IORING_POLL_ADD_LEVEL = 1 << 3;
    /** IORING_OP_ASYNC_CANCEL flags: cancel every match; match any op of the ring. */
    public static final int IORING_ASYNC_CANCEL_ALL = 1, IORING_ASYNC_CANCEL_ANY = 1 << 2;
    /** io_uring_register opcodes this code uses. */
    public static final int IORING_REGISTER_EVENTFD = 4, IORING_UNREGISTER_EVENTFD = 5, IORING_REGISTER_PROBE = 8;
    /** {@code io_uring_probe_op.flags}: the opcode is supported. */
    public static final int IO_URING_OP_SUPPORTED = 1;

    /** {@code struct io_sqring_offsets}: where the SQ ring's fields are in its mapping. */
    public static final StructLayout SQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("flags"), JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("resv2"));
    /** {@code struct io_cqring_offsets}: where the CQ ring's fields are in its mapping. */
    public static final StructLayout CQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("overflow"), JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("resv2"));
    /** {@code struct io_uring_params}, io_uring_setup's in/out argument. */
    public static final StructLayout PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"), JAVA_INT.withName("sq_thread_idle"), JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            SQRING_OFFSETS.withName("sq_off"), CQRING_OFFSETS.withName("cq_off"));
    /** {@code struct io_uring_sqe} (64 bytes); its unions are named by the field this code uses. Only {@link Sqe} writes it. */
    public static final StructLayout SQE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"), JAVA_LONG.withName("off"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"), JAVA_INT.withName("op_flags"), JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_index"), JAVA_SHORT.withName("personality"), JAVA_INT.withName("splice_fd_in"),
            JAVA_LONG.withName("addr3"), JAVA_LONG.withName("pad2"));
    /** {@code struct io_uring_cqe} (16 bytes, no CQE32). */
    public static final StructLayout CQE = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"), JAVA_INT.withName("res"), JAVA_INT.withName("flags"));
    /** {@code struct io_uring_probe_op}. */
    public static final StructLayout PROBE_OP = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"), JAVA_BYTE.withName("resv"), JAVA_SHORT.withName("flags"), JAVA_INT.withName("resv2"));
    /** {@code struct io_uring_probe} followed by room for 256 ops. */
    public static final StructLayout PROBE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"), JAVA_BYTE.withName("ops_len"), JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"),
            MemoryLayout.sequenceLayout(256, PROBE_OP).withName("ops"));
    /** {@code struct io_uring_getevents_arg}, io_uring_enter's EXT_ARG argument. */
    public static final StructLayout GETEVENTS_ARG = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"), JAVA_INT.withName("sigmask_sz"), JAVA_INT.withName("pad"),
            JAVA_LONG.withName("ts"));
    /** {@code struct __kernel_timespec}. */
    public static final StructLayout KERNEL_TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    /**
     * The byte offset of a named field.
     *
     * @param layout one of this class's layouts
     * @param field the field's name as in the header
     * @return its offset in bytes
     */
    public static long off(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    /** Field offsets of {@code struct io_uring_cqe}, and its size. */
    public static final long CQE_USER_DATA = off(CQE, "user_data"), CQE_RES = off(CQE, "res"),
            CQE_FLAGS = off(CQE, "flags"), CQE_SIZE = CQE.byteSize();

    private static final MethodHandle SYSCALL3 = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SYSCALL4 = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
    private static final MethodHandle SYSCALL6 = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    /**
     * Fault injection for tests: {@code -Dtevent4j.io_uring.inject=EPERM} (or ENOSYS) makes every
     * io_uring_setup fail as a kernel with io_uring disabled would, without changing the machine.
     */
    public static final String INJECT_PROPERTY = "tevent4j.io_uring.inject";

    /**
     * io_uring_setup(entries, params), or the injected refusal of {@link #INJECT_PROPERTY}.
     *
     * @param entries SQ entries wanted
     * @param params a zeroed {@link #PARAMS} with the flags (and cq_entries) set; the kernel fills the rest
     * @return the ring fd or -errno
     */
    public static int setup(int entries, MemorySegment params) {
        String injected = System.getProperty(INJECT_PROPERTY);
        if (injected != null) {
            return injected.equals("ENOSYS") ? -dev.tevent4j.linux.Errno.ENOSYS : -dev.tevent4j.linux.Errno.EPERM;
        }
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((long) SYSCALL3.invokeExact(c, SYS_IO_URING_SETUP, (long) entries, params), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize).
     *
     * @param fd the ring fd
     * @param toSubmit SQEs to consume from the SQ
     * @param minComplete completions to wait for (with GETEVENTS)
     * @param flags IORING_ENTER_* flags
     * @param arg NULL, or an {@link #GETEVENTS_ARG} with EXT_ARG
     * @param argSize the size of {@code arg}
     * @return the count of SQEs submitted, or -errno
     */
    public static int enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((long) SYSCALL6.invokeExact(c, SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, arg, argSize), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    // ---------------------------------------------------------------- links and handles

    /** IORING_OP_LINK_TIMEOUT: a time limit for the SQE linked just before it (5.5). */
    public static final byte IORING_OP_LINK_TIMEOUT = 15;
    /** IORING_FEAT_CQE_SKIP (5.17): IOSQE_CQE_SKIP_SUCCESS is honoured. */
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;

    // ---------------------------------------------------------------- registered resources

    /** Fixed-buffer reads and writes (Linux 5.1): addr/len inside a registered buffer, buf_index names it. */
    public static final byte IORING_OP_READ_FIXED = 4, IORING_OP_WRITE_FIXED = 5;
    /**
     * io_uring_register opcodes of registered resources: buffers (an iovec array), files (an int
     * array, -1 for an empty slot; FILES_UPDATE takes one {@link #RSRC_UPDATE}), the io-wq
     * worker limits (a u32[2], 5.15) and the ring fd (an {@link #RSRC_UPDATE} per fd, 5.18).
     */
    public static final int IORING_REGISTER_BUFFERS = 0, IORING_UNREGISTER_BUFFERS = 1,
            IORING_REGISTER_FILES = 2, IORING_UNREGISTER_FILES = 3, IORING_REGISTER_FILES_UPDATE = 6,
            IORING_REGISTER_IOWQ_MAX_WORKERS = 19, IORING_REGISTER_RING_FDS = 20, IORING_UNREGISTER_RING_FDS = 21;
    /** io_uring_enter flag: the fd argument is an index registered with IORING_REGISTER_RING_FDS (5.18). */
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;
    /**
     * {@code struct io_uring_rsrc_update} (16 bytes), also {@code struct io_uring_files_update}
     * (whose {@code data} is named {@code fds}): offset -1 asks the kernel to pick a ring fd slot.
     */
    public static final StructLayout RSRC_UPDATE = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"), JAVA_INT.withName("resv"), JAVA_LONG.withName("data"));

    // ---------------------------------------------------------------- personalities

    /** IORING_REGISTER_PERSONALITY (5.6): registers the calling task's credentials, returns their id. */
    public static final int IORING_REGISTER_PERSONALITY = 9;
    /** IORING_UNREGISTER_PERSONALITY: drops a registered id (nr_args is the id). */
    public static final int IORING_UNREGISTER_PERSONALITY = 10;

    /**
     * io_uring_register(fd, opcode, arg, nrArgs).
     *
     * @param fd the ring fd
     * @param opcode an IORING_REGISTER_* opcode
     * @param arg the opcode's argument
     * @param nrArgs its count
     * @return the kernel's result, or -errno
     */
    public static int register(int fd, int opcode, MemorySegment arg, int nrArgs) {
        MemorySegment c = Native.capture();
        try {
            return (int) Native.result((long) SYSCALL4.invokeExact(c, SYS_IO_URING_REGISTER, (long) fd, (long) opcode, arg, (long) nrArgs), c);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
