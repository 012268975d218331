package dev.tevent4j.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tevent4j.ring.IoUringAbi.*;

/**
 * The one place that encodes submission queue entries ({@code struct io_uring_sqe}): typed
 * {@code prep*} methods in the manner of liburing's {@code io_uring_prep_*}, plus setters for
 * the fields every op shares (user_data, IOSQE flags). No other class writes an SQE field.
 *
 * <p>An {@code Sqe} is a cursor over the ring's mmap'ed SQE array, not a copy: each ring owns
 * exactly one, and {@link Ring#nextSqe()} moves it to a fresh, zeroed entry and returns it.
 * Its methods write straight into the shared memory and return the same cursor, so filling an
 * SQE allocates nothing:
 *
 * <pre>{@code
 * Sqe sqe = ring.nextSqe();          // null: the SQ is full, submit first
 * sqe.prepRead(fd, buf.address(), len, offset).userData(UserData.ignored(7));
 * }</pre>
 *
 * The cursor is valid until the next {@link Ring#nextSqe()}; the entry reaches the kernel with
 * the ring's next submit. Because the entry is zeroed first, a prep method writes only the
 * fields its op reads; all others stay 0 (the user_data starts as a {@link UserData#ignored}
 * value). Owner thread only, as the ring.
 */
public final class Sqe {
    // Field offsets of struct io_uring_sqe: package-private so that nothing outside this
    // package can write an SQE by raw offset (IoUringHeaderTest checks them against the header).
    static final long OPCODE = off(SQE, "opcode"), FLAGS = off(SQE, "flags"), IOPRIO = off(SQE, "ioprio"),
            FD = off(SQE, "fd"), OFF = off(SQE, "off"), ADDR = off(SQE, "addr"), LEN = off(SQE, "len"),
            OP_FLAGS = off(SQE, "op_flags"), USER_DATA = off(SQE, "user_data"), BUF_INDEX = off(SQE, "buf_index"),
            SPLICE_FD_IN = off(SQE, "splice_fd_in"), ADDR3 = off(SQE, "addr3");
    /** {@code sizeof(struct io_uring_sqe)}: 64 bytes. */
    static final long SIZE = SQE.byteSize();

    /** The user_data of an entry until someone sets one. */
    private static final long UNSTAMPED = UserData.ignored(0);

    private final MemorySegment sqes;
    /** Byte offset in {@link #sqes} of the entry this cursor writes. */
    private long at = -1;

    Sqe(MemorySegment sqes) {
        this.sqes = sqes;
    }

    /**
     * Moves the cursor to the entry at byte offset {@code offset} and zeroes it, but for a
     * user_data of kind {@link UserData#IGNORED}: an entry nobody stamps (a zeroed entry is a
     * NOP) completes harmlessly instead of posing as AsyncIo slot 0.
     */
    Sqe reset(long offset) {
        at = offset;
        for (long i = 0; i < SIZE; i += 8) {
            sqes.set(ValueLayout.JAVA_LONG, offset + i, 0L);
        }
        sqes.set(ValueLayout.JAVA_LONG, offset + USER_DATA, UNSTAMPED);
        return this;
    }

    /** Byte offset of the current entry in the SQE array (tests and diagnostics). */
    long offset() {
        return at;
    }

    // ---------------------------------------------------------------- shared fields

    /**
     * Sets the 64-bit value the kernel copies into this op's completion, unread by the kernel.
     * tevent4j's own values follow {@link UserData}'s layout; see there for what a caller may use.
     *
     * @param userData the completion's user_data
     * @return this cursor
     */
    public Sqe userData(long userData) {
        sqes.set(ValueLayout.JAVA_LONG, at + USER_DATA, userData);
        return this;
    }

    /**
     * Sets the IOSQE_* flags (e.g. {@link IoUringAbi#IOSQE_CQE_SKIP_SUCCESS}).
     *
     * @param iosqeFlags the flags byte
     * @return this cursor
     */
    public Sqe flags(int iosqeFlags) {
        sqes.set(ValueLayout.JAVA_BYTE, at + FLAGS, (byte) iosqeFlags);
        return this;
    }

    /** The IOSQE_* flags set so far. */
    int flagsByte() {
        return Byte.toUnsignedInt(sqes.get(ValueLayout.JAVA_BYTE, at + FLAGS));
    }

    /**
     * Sets the per-op flags word (rw_flags, msg_flags, poll32_events, ...: a union in the header).
     * The prep methods that take flags set it already.
     *
     * @param opFlags the word
     * @return this cursor
     */
    public Sqe opFlags(int opFlags) {
        sqes.set(ValueLayout.JAVA_INT, at + OP_FLAGS, opFlags);
        return this;
    }

    /** The fields most ops share: opcode, fd, addr, len, off (liburing's io_uring_prep_rw). */
    private Sqe rw(byte opcode, int fd, long addr, int len, long off) {
        sqes.set(ValueLayout.JAVA_BYTE, at + OPCODE, opcode);
        sqes.set(ValueLayout.JAVA_INT, at + FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, at + ADDR, addr);
        sqes.set(ValueLayout.JAVA_INT, at + LEN, len);
        sqes.set(ValueLayout.JAVA_LONG, at + OFF, off);
        return this;
    }

    // ---------------------------------------------------------------- ops
    // Addresses are native addresses (MemorySegment.address()); what they point to must stay
    // reachable until the completion.

    /**
     * IORING_OP_NOP: completes with 0 and does nothing else.
     *
     * @return this cursor
     */
    public Sqe prepNop() {
        return rw(IORING_OP_NOP, -1, 0, 0, 0);
    }

    /**
     * IORING_OP_READ: read(2), or pread(2) at an offset.
     *
     * @param fd the file
     * @param buf the address of the buffer
     * @param len its size in bytes
     * @param offset the file offset, or -1 for the file position
     * @return this cursor
     */
    public Sqe prepRead(int fd, long buf, int len, long offset) {
        return rw(IORING_OP_READ, fd, buf, len, offset);
    }

    /**
     * IORING_OP_WRITE: write(2), or pwrite(2) at an offset.
     *
     * @param fd the file
     * @param buf the address of the bytes
     * @param len how many
     * @param offset the file offset, or -1 for the file position
     * @return this cursor
     */
    public Sqe prepWrite(int fd, long buf, int len, long offset) {
        return rw(IORING_OP_WRITE, fd, buf, len, offset);
    }

    /**
     * IORING_OP_READV: preadv(2).
     *
     * @param fd the file
     * @param iovecs the address of an array of struct iovec
     * @param nrVecs its length
     * @param offset the file offset, or -1 for the file position
     * @return this cursor
     */
    public Sqe prepReadv(int fd, long iovecs, int nrVecs, long offset) {
        return rw(IORING_OP_READV, fd, iovecs, nrVecs, offset);
    }

    /**
     * IORING_OP_WRITEV: pwritev(2).
     *
     * @param fd the file
     * @param iovecs the address of an array of struct iovec
     * @param nrVecs its length
     * @param offset the file offset, or -1 for the file position
     * @return this cursor
     */
    public Sqe prepWritev(int fd, long iovecs, int nrVecs, long offset) {
        return rw(IORING_OP_WRITEV, fd, iovecs, nrVecs, offset);
    }

    /**
     * IORING_OP_FSYNC: fsync(2), or fdatasync(2).
     *
     * @param fd the file
     * @param fsyncFlags 0, or {@link IoUringAbi#IORING_FSYNC_DATASYNC}
     * @return this cursor
     */
    public Sqe prepFsync(int fd, int fsyncFlags) {
        return rw(IORING_OP_FSYNC, fd, 0, 0, 0).opFlags(fsyncFlags);
    }

    /**
     * IORING_OP_SEND: send(2).
     *
     * @param fd the socket
     * @param buf the address of the bytes
     * @param len how many
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepSend(int fd, long buf, int len, int flags) {
        return rw(IORING_OP_SEND, fd, buf, len, 0).opFlags(flags);
    }

    /**
     * IORING_OP_RECV: recv(2).
     *
     * @param fd the socket
     * @param buf the address of the buffer
     * @param len its size in bytes
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepRecv(int fd, long buf, int len, int flags) {
        return rw(IORING_OP_RECV, fd, buf, len, 0).opFlags(flags);
    }

    /**
     * IORING_OP_SEND_ZC (Linux 6.0): a send whose buffer the kernel reads in place. It posts the
     * result (with IORING_CQE_F_MORE) and later a notification (IORING_CQE_F_NOTIF) once the
     * buffer is free again.
     *
     * @param fd the socket
     * @param buf the address of the bytes
     * @param len how many
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepSendZc(int fd, long buf, int len, int flags) {
        return rw(IORING_OP_SEND_ZC, fd, buf, len, 0).opFlags(flags);
    }

    /**
     * IORING_OP_SENDMSG: sendmsg(2).
     *
     * @param fd the socket
     * @param msghdr the address of a struct msghdr
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepSendmsg(int fd, long msghdr, int flags) {
        return rw(IORING_OP_SENDMSG, fd, msghdr, 1, 0).opFlags(flags);
    }

    /**
     * IORING_OP_RECVMSG: recvmsg(2).
     *
     * @param fd the socket
     * @param msghdr the address of a struct msghdr
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepRecvmsg(int fd, long msghdr, int flags) {
        return rw(IORING_OP_RECVMSG, fd, msghdr, 1, 0).opFlags(flags);
    }

    /**
     * IORING_OP_SPLICE: splice(2).
     *
     * @param fdIn the source
     * @param offIn its offset, or -1 for none (a pipe, or the file position)
     * @param fdOut the destination
     * @param offOut its offset, or -1 for none
     * @param len bytes to move
     * @param spliceFlags SPLICE_F_* flags
     * @return this cursor
     */
    public Sqe prepSplice(int fdIn, long offIn, int fdOut, long offOut, int len, int spliceFlags) {
        // fd = fd_out, off = off_out, addr = splice_off_in, splice_fd_in = fd_in
        rw(IORING_OP_SPLICE, fdOut, offIn, len, offOut).opFlags(spliceFlags);
        sqes.set(ValueLayout.JAVA_INT, at + SPLICE_FD_IN, fdIn);
        return this;
    }

    /**
     * IORING_OP_OPENAT: openat(2).
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the address of a NUL-terminated path
     * @param flags O_* flags
     * @param mode the mode of a file created
     * @return this cursor
     */
    public Sqe prepOpenat(int dirfd, long path, int flags, int mode) {
        return rw(IORING_OP_OPENAT, dirfd, path, mode, 0).opFlags(flags);
    }

    /**
     * IORING_OP_CLOSE: close(2).
     *
     * @param fd the fd
     * @return this cursor
     */
    public Sqe prepClose(int fd) {
        return rw(IORING_OP_CLOSE, fd, 0, 0, 0);
    }

    /**
     * IORING_OP_STATX: statx(2).
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the address of a NUL-terminated path
     * @param flags AT_* flags
     * @param mask STATX_* fields wanted
     * @param statxBuf the address of a 256-byte struct statx
     * @return this cursor
     */
    public Sqe prepStatx(int dirfd, long path, int flags, int mask, long statxBuf) {
        // addr = path, len = mask, off (addr2) = the struct statx buffer
        return rw(IORING_OP_STATX, dirfd, path, mask, statxBuf).opFlags(flags);
    }

    /**
     * IORING_OP_POLL_ADD: completes once {@code fd} is ready (oneshot), or on each wakeup with
     * {@link IoUringAbi#IORING_POLL_ADD_MULTI} (multishot: IORING_CQE_F_MORE on all but the last
     * completion). The result is the POLL* mask of the wakeup.
     *
     * @param fd the fd to watch
     * @param pollMask POLL* events
     * @param addFlags 0 or IORING_POLL_ADD_MULTI
     * @return this cursor
     */
    public Sqe prepPollAdd(int fd, int pollMask, int addFlags) {
        // len = the add flags, op_flags = poll32_events
        return rw(IORING_OP_POLL_ADD, fd, 0, addFlags, 0).opFlags(pollMask);
    }

    /**
     * IORING_OP_POLL_REMOVE: removes a poll; the poll still posts its own (final) completion.
     *
     * @param targetUserData the user_data of the poll's SQE
     * @return this cursor
     */
    public Sqe prepPollRemove(long targetUserData) {
        return rw(IORING_OP_POLL_REMOVE, -1, targetUserData, 0, 0);
    }

    /**
     * IORING_OP_ASYNC_CANCEL: cancels ops; each still posts its own completion (-ECANCELED when
     * the cancel won).
     *
     * @param targetUserData the user_data of the op's SQE (ignored with ASYNC_CANCEL_ANY)
     * @param cancelFlags 0, or IORING_ASYNC_CANCEL_ANY / _ALL
     * @return this cursor
     */
    public Sqe prepCancel(long targetUserData, int cancelFlags) {
        return rw(IORING_OP_ASYNC_CANCEL, -1, targetUserData, 0, 0).opFlags(cancelFlags);
    }

    /**
     * IORING_OP_TIMEOUT: completes with -ETIME when the time has passed, or with 0 once
     * {@code count} other completions were posted.
     *
     * @param timespec the address of a struct __kernel_timespec
     * @param count completions that end it early; 0 for none
     * @param timeoutFlags IORING_TIMEOUT_* flags (0: relative)
     * @return this cursor
     */
    public Sqe prepTimeout(long timespec, int count, int timeoutFlags) {
        return rw(IORING_OP_TIMEOUT, -1, timespec, 1, count).opFlags(timeoutFlags);
    }

    /**
     * IORING_OP_MSG_RING (Linux 5.18): posts a completion on another ring.
     *
     * @param ringFd the target ring's fd
     * @param res the target completion's res
     * @param targetUserData the target completion's user_data
     * @return this cursor
     */
    public Sqe prepMsgRing(int ringFd, int res, long targetUserData) {
        // addr = IORING_MSG_DATA (0), len = the target CQE's res, off = its user_data
        return rw(IORING_OP_MSG_RING, ringFd, 0, res, targetUserData);
    }

    // ---------------------------------------------------------------- files and messages
    // Layouts as the kernel's io_uring/*_prep functions read them (fs.c, xattr.c, advise.c,
    // splice.c, openclose.c, net.c) and liburing's io_uring_prep_* write them.

    /**
     * IORING_OP_SENDMSG_ZC (Linux 6.1): a sendmsg whose buffers the kernel reads in place. Posts
     * the result (with IORING_CQE_F_MORE) and later a notification (IORING_CQE_F_NOTIF).
     *
     * @param fd the socket
     * @param msghdr the address of a struct msghdr
     * @param flags MSG_* flags
     * @return this cursor
     */
    public Sqe prepSendmsgZc(int fd, long msghdr, int flags) {
        return rw(IORING_OP_SENDMSG_ZC, fd, msghdr, 1, 0).opFlags(flags);
    }

    /**
     * IORING_OP_OPENAT2: openat2(2).
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the address of a NUL-terminated path
     * @param openHow the address of a struct open_how
     * @param openHowSize its size (24)
     * @return this cursor
     */
    public Sqe prepOpenat2(int dirfd, long path, long openHow, int openHowSize) {
        // addr = path, len = sizeof(open_how), off (addr2) = the open_how
        return rw(IORING_OP_OPENAT2, dirfd, path, openHowSize, openHow);
    }

    /**
     * IORING_OP_UNLINKAT: unlinkat(2).
     *
     * @param dirfd the directory, or AT_FDCWD
     * @param path the address of a NUL-terminated path
     * @param flags 0 or AT_REMOVEDIR
     * @return this cursor
     */
    public Sqe prepUnlinkat(int dirfd, long path, int flags) {
        // off and len must be 0; op_flags = unlink_flags
        return rw(IORING_OP_UNLINKAT, dirfd, path, 0, 0).opFlags(flags);
    }

    /**
     * IORING_OP_RENAMEAT: renameat2(2).
     *
     * @param oldDirfd the old name's directory
     * @param oldPath the address of the old NUL-terminated path
     * @param newDirfd the new name's directory
     * @param newPath the address of the new NUL-terminated path
     * @param flags RENAME_* flags
     * @return this cursor
     */
    public Sqe prepRenameat(int oldDirfd, long oldPath, int newDirfd, long newPath, int flags) {
        // fd = old dirfd, addr = old path, len = new dirfd, off (addr2) = new path, op_flags = rename_flags
        return rw(IORING_OP_RENAMEAT, oldDirfd, oldPath, newDirfd, newPath).opFlags(flags);
    }

    /**
     * IORING_OP_MKDIRAT: mkdirat(2).
     *
     * @param dirfd the parent, or AT_FDCWD
     * @param path the address of a NUL-terminated path
     * @param mode the mode
     * @return this cursor
     */
    public Sqe prepMkdirat(int dirfd, long path, int mode) {
        // len = mode; off and op_flags must be 0
        return rw(IORING_OP_MKDIRAT, dirfd, path, mode, 0);
    }

    /**
     * IORING_OP_FGETXATTR: fgetxattr(2).
     *
     * @param fd the file
     * @param name the address of the NUL-terminated attribute name
     * @param value the address of the value buffer
     * @param len its size
     * @return this cursor
     */
    public Sqe prepFgetxattr(int fd, long name, long value, int len) {
        // addr = name, off (addr2) = value, len = size, op_flags = xattr_flags (must be 0)
        return rw(IORING_OP_FGETXATTR, fd, name, len, value);
    }

    /**
     * IORING_OP_FSETXATTR: fsetxattr(2).
     *
     * @param fd the file
     * @param name the address of the NUL-terminated attribute name
     * @param value the address of the value
     * @param len its size
     * @param flags XATTR_CREATE / XATTR_REPLACE
     * @return this cursor
     */
    public Sqe prepFsetxattr(int fd, long name, long value, int len, int flags) {
        return rw(IORING_OP_FSETXATTR, fd, name, len, value).opFlags(flags);
    }

    /**
     * IORING_OP_FADVISE: posix_fadvise(2).
     *
     * @param fd the file
     * @param offset the start of the range
     * @param len its length (32 bits; 0 = to the end of the file)
     * @param advice POSIX_FADV_*
     * @return this cursor
     */
    public Sqe prepFadvise(int fd, long offset, int len, int advice) {
        // off = offset, len = length, addr must be 0, op_flags = fadvise_advice
        return rw(IORING_OP_FADVISE, fd, 0, len, offset).opFlags(advice);
    }

    /**
     * IORING_OP_TEE: tee(2).
     *
     * @param fdIn the pipe read from
     * @param fdOut the pipe written to
     * @param len at most this many bytes
     * @param spliceFlags SPLICE_F_* flags
     * @return this cursor
     */
    public Sqe prepTee(int fdIn, int fdOut, int len, int spliceFlags) {
        // as splice with no offsets (both must be 0): fd = fd_out, splice_fd_in = fd_in
        rw(IORING_OP_TEE, fdOut, 0, len, 0).opFlags(spliceFlags);
        sqes.set(ValueLayout.JAVA_INT, at + SPLICE_FD_IN, fdIn);
        return this;
    }

    // ---------------------------------------------------------------- sockets

    /**
     * IORING_OP_ACCEPT: accept4(2); with {@code multishot} (Linux 5.19, IORING_ACCEPT_MULTISHOT
     * in ioprio) one CQE per connection, IORING_CQE_F_MORE on all but the last.
     *
     * @param fd the listening socket
     * @param sockaddr the address of a struct sockaddr for the peer's address, or 0
     * @param addrlen the address of its socklen_t, or 0
     * @param acceptFlags SOCK_NONBLOCK / SOCK_CLOEXEC
     * @param multishot whether to keep accepting
     * @return this cursor
     */
    public Sqe prepAccept(int fd, long sockaddr, long addrlen, int acceptFlags, boolean multishot) {
        // addr = sockaddr, off (addr2) = the socklen_t pointer, op_flags = accept_flags
        rw(IORING_OP_ACCEPT, fd, sockaddr, 0, addrlen).opFlags(acceptFlags);
        if (multishot) sqes.set(ValueLayout.JAVA_SHORT, at + IOPRIO, (short) IORING_ACCEPT_MULTISHOT);
        return this;
    }

    /**
     * IORING_OP_CONNECT: connect(2); the kernel copies the address when it takes the SQE.
     *
     * @param fd the socket
     * @param sockaddr the address of a struct sockaddr
     * @param addrlen its length in bytes (a value, not a pointer)
     * @return this cursor
     */
    public Sqe prepConnect(int fd, long sockaddr, int addrlen) {
        // off = the address length itself, len = 0 (liburing's io_uring_prep_connect)
        return rw(IORING_OP_CONNECT, fd, sockaddr, 0, addrlen);
    }

    /**
     * IORING_OP_RECV, multishot with a provided buffer ring (Linux 6.0): IORING_RECV_MULTISHOT in
     * ioprio, IOSQE_BUFFER_SELECT and the group in buf_group; addr and len stay 0 (the 6.1
     * kernel refuses a len with multishot). Each CQE names its buffer in flags >> 16.
     *
     * @param fd the socket
     * @param bufferGroup the bgid the ring was registered with
     * @param flags MSG_* flags (not MSG_WAITALL, which the kernel refuses here)
     * @return this cursor
     */
    public Sqe prepRecvMultishot(int fd, int bufferGroup, int flags) {
        rw(IORING_OP_RECV, fd, 0, 0, 0).opFlags(flags);
        sqes.set(ValueLayout.JAVA_SHORT, at + IOPRIO, (short) IORING_RECV_MULTISHOT);
        sqes.set(ValueLayout.JAVA_SHORT, at + BUF_INDEX, (short) bufferGroup); // buf_group shares buf_index
        return flags(flagsByte() | IOSQE_BUFFER_SELECT);
    }

    // ---------------------------------------------------------------- links and handles

    /**
     * IORING_OP_LINK_TIMEOUT: must follow, in the same submission, an SQE with IOSQE_IO_LINK; if
     * that op has not completed when the time passes it is cancelled and this completes with
     * -ETIME, else this completes with -ECANCELED. The timespec is read at submission.
     *
     * @param timespec the address of a struct __kernel_timespec
     * @param timeoutFlags IORING_TIMEOUT_* flags (0: relative)
     * @return this cursor
     */
    public Sqe prepLinkTimeout(long timespec, int timeoutFlags) {
        return rw(IORING_OP_LINK_TIMEOUT, -1, timespec, 1, 0).opFlags(timeoutFlags);
    }

    /** Moves the cursor to an entry filled earlier, to change its flags (no zeroing). */
    Sqe at(long offset) {
        at = offset;
        return this;
    }

    /** The per-op flags word set so far. */
    int opFlagsWord() {
        return sqes.get(ValueLayout.JAVA_INT, at + OP_FLAGS);
    }

    // ---------------------------------------------------------------- registered resources

    /**
     * IORING_OP_READ_FIXED: pread(2) into a registered buffer.
     *
     * @param fd the file
     * @param buf an address inside registered buffer {@code bufIndex}
     * @param len bytes to read; {@code buf + len} must stay inside the buffer (else EFAULT)
     * @param offset the file offset, or -1 for the file position
     * @param bufIndex the buffer's index in the ring's table
     * @return this cursor
     */
    public Sqe prepReadFixed(int fd, long buf, int len, long offset, int bufIndex) {
        rw(IORING_OP_READ_FIXED, fd, buf, len, offset);
        sqes.set(ValueLayout.JAVA_SHORT, at + BUF_INDEX, (short) bufIndex);
        return this;
    }

    /**
     * IORING_OP_WRITE_FIXED: pwrite(2) from a registered buffer.
     *
     * @param fd the file
     * @param buf an address inside registered buffer {@code bufIndex}
     * @param len bytes to write
     * @param offset the file offset, or -1 for the file position
     * @param bufIndex the buffer's index in the ring's table
     * @return this cursor
     */
    public Sqe prepWriteFixed(int fd, long buf, int len, long offset, int bufIndex) {
        rw(IORING_OP_WRITE_FIXED, fd, buf, len, offset);
        sqes.set(ValueLayout.JAVA_SHORT, at + BUF_INDEX, (short) bufIndex);
        return this;
    }

    /**
     * Makes the entry's fd an index into the ring's registered file table (IOSQE_FIXED_FILE);
     * call after the prep method.
     *
     * @return this cursor
     */
    public Sqe fixedFile() {
        return flags(flagsByte() | IOSQE_FIXED_FILE);
    }

    // ---------------------------------------------------------------- personalities

    /** Offset of the u16 {@code personality} field of struct io_uring_sqe (42). */
    static final long PERSONALITY = off(SQE, "personality");

    /**
     * Makes the op run with the credentials registered as {@code id}
     * ({@link Ring#registerPersonality()}) instead of the submitting task's.
     *
     * @param id a personality id, 1..65535; 0 means the submitter's own credentials
     * @return this cursor
     */
    public Sqe personality(int id) {
        if (id < 0 || id > 0xffff) throw new IllegalArgumentException("personality id " + id + " is outside 0..65535");
        sqes.set(ValueLayout.JAVA_SHORT, at + PERSONALITY, (short) id);
        return this;
    }

    /** The personality id set so far (0: none). */
    int personalityId() {
        return Short.toUnsignedInt(sqes.get(ValueLayout.JAVA_SHORT, at + PERSONALITY));
    }

}
