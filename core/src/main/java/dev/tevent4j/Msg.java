package dev.tevent4j;

import dev.tevent4j.linux.Libc;
import dev.tevent4j.linux.Msghdrs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A message for {@link AsyncIo#sendmsg(int, Msg, int)} and {@link AsyncIo#recvmsg(int, Msg, int)}:
 * a native {@code struct msghdr} with its iovecs, a socket address buffer and a control buffer,
 * all allocated once in the caller's arena, so an op on a Msg allocates nothing for the message.
 *
 * <p>Sending: set the destination with {@link #name(MemorySegment)} (unconnected datagram
 * sockets) and control data with {@link #rights(int...)}; both stay set until changed. Receiving:
 * recvmsg resets the name and control lengths to the capacities first, and the kernel then
 * writes the sender's address ({@link #name()}), the control messages ({@link #receivedFds()})
 * and the flags ({@link #flags()}, e.g. {@link Libc#MSG_CTRUNC}).
 *
 * <pre>{@code
 * Msg out = Msg.allocate(arena, 0, Msg.rightsSpace(1), payload).rights(fileFd);
 * io.sendmsg(unixSocket, out, 0).await();
 * Msg in = Msg.allocate(arena, 0, Msg.rightsSpace(4), buffer);
 * int n = io.recvmsg(peer, in, 0).await();
 * int[] fds = in.receivedFds();   // FD_CLOEXEC set; the caller owns them
 * }</pre>
 *
 * <p>The kernel reads and writes this memory while an op runs: a Msg serves one op at a time,
 * must not be changed until that op completes, and its arena must outlive it. Not thread-safe.
 */
public final class Msg {
    // struct msghdr offsets on x86_64 (LibcHeadersTest checks Libc.MSGHDR against the header).
    private static final long NAME = 0, NAMELEN = 8, IOV = 16, IOVLEN = 24, CONTROL = 32, CONTROLLEN = 40, FLAGS = 48;
    private static final long CMSG_LEN = 0, CMSG_LEVEL = 8, CMSG_TYPE = 12;

    private final MemorySegment header;
    private final MemorySegment[] buffers;
    private final MemorySegment name;
    private final MemorySegment control;

    private Msg(MemorySegment header, MemorySegment[] buffers, MemorySegment name, MemorySegment control) {
        this.header = header;
        this.buffers = buffers;
        this.name = name;
        this.control = control;
    }

    /**
     * A message over {@code buffers} (scattered into on receive, gathered from on send).
     *
     * @param arena where the msghdr, iovecs, name and control buffers live; must outlive every op
     * @param nameCapacity bytes for a socket address (16 for sockaddr_in, 110 for sockaddr_un,
     *     0 for a connected socket)
     * @param controlCapacity bytes for control messages ({@link #rightsSpace} for fds, 0 for none)
     * @param buffers the data buffers, native; at least one
     * @return the message, with no name and no control data set
     * @throws IllegalArgumentException for a heap buffer, no buffer or a negative capacity
     */
    public static Msg allocate(Arena arena, int nameCapacity, int controlCapacity, MemorySegment... buffers) {
        if (arena == null) throw new NullPointerException("arena is null");
        MemorySegment[] bufs = nativeBuffers(buffers);
        if (nameCapacity < 0) throw new IllegalArgumentException("nameCapacity " + nameCapacity + " is negative");
        if (controlCapacity < 0) throw new IllegalArgumentException("controlCapacity " + controlCapacity + " is negative");
        MemorySegment header = arena.allocate(Libc.MSGHDR);
        MemorySegment iov = Msghdrs.iovecs(arena, bufs);
        MemorySegment name = nameCapacity == 0 ? MemorySegment.NULL : arena.allocate(nameCapacity, 8);
        MemorySegment control = controlCapacity == 0 ? MemorySegment.NULL : arena.allocate(controlCapacity, 8);
        Msghdrs.fillMsghdr(header, iov, bufs.length);
        header.set(ValueLayout.ADDRESS, NAME, name);
        header.set(ValueLayout.ADDRESS, CONTROL, control);
        return new Msg(header, bufs, name, control);
    }

    /**
     * The control buffer size {@link #rights} needs for {@code fdCount} fds: {@code CMSG_SPACE}.
     *
     * @param fdCount how many fds
     * @return bytes
     */
    public static int rightsSpace(int fdCount) {
        if (fdCount < 0) throw new IllegalArgumentException("fdCount " + fdCount + " is negative");
        return (int) (Libc.CMSG_HEADER_BYTES + align8(4L * fdCount));
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * The native {@code struct msghdr} the kernel gets (AsyncIo implementations pass its address).
     *
     * @return the msghdr, in the caller's arena
     */
    public MemorySegment header() {
        return header;
    }

    /**
     * How many data buffers the message has.
     *
     * @return the iovec count
     */
    public int bufferCount() {
        return buffers.length;
    }

    /**
     * The data buffer at {@code index}.
     *
     * @param index 0 to {@link #bufferCount()} - 1
     * @return the buffer given to {@link #allocate}
     */
    public MemorySegment buffer(int index) {
        return buffers[index];
    }

    /**
     * Sets the address a send goes to (a {@code sockaddr_in}, e.g. from {@link Libc#sockaddrIn}).
     *
     * @param sockaddr the address, copied; null clears it (a connected socket)
     * @return this message
     * @throws IllegalArgumentException if it is longer than the name capacity
     */
    public Msg name(MemorySegment sockaddr) {
        if (sockaddr == null) {
            header.set(ValueLayout.JAVA_INT, NAMELEN, 0);
            return this;
        }
        if (sockaddr.byteSize() > name.byteSize()) {
            throw new IllegalArgumentException("the address has " + sockaddr.byteSize() + " bytes; the name capacity is "
                    + name.byteSize());
        }
        MemorySegment.copy(sockaddr, 0, name, 0, sockaddr.byteSize());
        header.set(ValueLayout.JAVA_INT, NAMELEN, (int) sockaddr.byteSize());
        return this;
    }

    /**
     * The address: the one set for a send, or the sender's after a receive.
     *
     * @return a view of the name buffer, {@link #nameLength()} bytes (at most the capacity)
     */
    public MemorySegment name() {
        return name.asSlice(0, Math.min(nameLength(), name.byteSize()));
    }

    /**
     * msg_namelen: after a receive, the length of the sender's address (more than the capacity
     * when it was truncated).
     *
     * @return bytes
     */
    public int nameLength() {
        return header.get(ValueLayout.JAVA_INT, NAMELEN);
    }

    /**
     * Puts one SCM_RIGHTS control message carrying {@code fds} (the kernel duplicates them into
     * the receiver when the send completes), replacing any control data set before. No fds:
     * clears the control data.
     *
     * @param fds the fds to pass
     * @return this message
     * @throws IllegalArgumentException if they do not fit the control capacity, or one is negative
     */
    public Msg rights(int... fds) {
        if (fds == null || fds.length == 0) {
            header.set(ValueLayout.JAVA_LONG, CONTROLLEN, 0L);
            return this;
        }
        int space = rightsSpace(fds.length);
        if (space > control.byteSize()) {
            throw new IllegalArgumentException(fds.length + " fds need " + space + " control bytes; the capacity is "
                    + control.byteSize() + " (Msg.rightsSpace)");
        }
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] < 0) throw new IllegalArgumentException("fds[" + i + "] " + fds[i] + " is negative");
        }
        control.asSlice(0, space).fill((byte) 0);
        control.set(ValueLayout.JAVA_LONG, CMSG_LEN, Libc.CMSG_HEADER_BYTES + 4L * fds.length);
        control.set(ValueLayout.JAVA_INT, CMSG_LEVEL, Libc.SOL_SOCKET);
        control.set(ValueLayout.JAVA_INT, CMSG_TYPE, Libc.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.set(ValueLayout.JAVA_INT, Libc.CMSG_HEADER_BYTES + 4L * i, fds[i]);
        }
        header.set(ValueLayout.JAVA_LONG, CONTROLLEN, (long) space);
        return this;
    }

    /**
     * msg_controllen: the control data set for a send, or received.
     *
     * @return bytes
     */
    public int controlLength() {
        return (int) header.get(ValueLayout.JAVA_LONG, CONTROLLEN);
    }

    /**
     * The control buffer, {@link #controlLength()} bytes, for control messages other than SCM_RIGHTS.
     *
     * @return a view of the control buffer
     */
    public MemorySegment control() {
        return control.asSlice(0, Math.min(controlLength(), control.byteSize()));
    }

    /**
     * msg_flags after a receive: {@link Libc#MSG_CTRUNC} (control data cut: fds beyond the
     * capacity were closed by the kernel), {@link Libc#MSG_TRUNC} (datagram cut), ...
     *
     * @return the flags
     */
    public int flags() {
        return header.get(ValueLayout.JAVA_INT, FLAGS);
    }

    /**
     * The fds of every SCM_RIGHTS control message received (walking the messages as CMSG_NXTHDR
     * does). The caller owns them and must close them.
     *
     * @return the fds, in order; empty when none came
     */
    public int[] receivedFds() {
        long end = Math.min(controlLength(), control.byteSize());
        int count = 0;
        for (long at = 0; at + Libc.CMSG_HEADER_BYTES <= end; ) {
            long len = control.get(ValueLayout.JAVA_LONG, at + CMSG_LEN);
            if (len < Libc.CMSG_HEADER_BYTES || at + len > end) break;
            if (isRights(at)) count += (int) ((len - Libc.CMSG_HEADER_BYTES) / 4);
            at += align8(len);
        }
        int[] fds = new int[count];
        int i = 0;
        for (long at = 0; at + Libc.CMSG_HEADER_BYTES <= end && i < count; ) {
            long len = control.get(ValueLayout.JAVA_LONG, at + CMSG_LEN);
            if (len < Libc.CMSG_HEADER_BYTES || at + len > end) break;
            if (isRights(at)) {
                for (long d = Libc.CMSG_HEADER_BYTES; d + 4 <= len; d += 4) {
                    fds[i++] = control.get(ValueLayout.JAVA_INT, at + d);
                }
            }
            at += align8(len);
        }
        return fds;
    }

    private boolean isRights(long at) {
        return control.get(ValueLayout.JAVA_INT, at + CMSG_LEVEL) == Libc.SOL_SOCKET
                && control.get(ValueLayout.JAVA_INT, at + CMSG_TYPE) == Libc.SCM_RIGHTS;
    }

    /**
     * Readies the message for a receive: name and control lengths back to their capacities,
     * flags 0. {@link AsyncIo#recvmsg(int, Msg, int)} calls it; a caller does not need to.
     */
    public void resetForReceive() {
        header.set(ValueLayout.JAVA_INT, NAMELEN, (int) name.byteSize());
        header.set(ValueLayout.JAVA_LONG, CONTROLLEN, control.byteSize());
        header.set(ValueLayout.JAVA_INT, FLAGS, 0);
    }

    /** A copy of {@code buffers}, refusing null, none and heap segments (the kernel needs addresses). */
    private static MemorySegment[] nativeBuffers(MemorySegment[] buffers) {
        if (buffers == null) throw new NullPointerException("buffers is null");
        if (buffers.length == 0) throw new IllegalArgumentException("buffers is empty");
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == null) throw new NullPointerException("buffers[" + i + "] is null");
            if (!buffers[i].isNative()) {
                throw new IllegalArgumentException("buffers[" + i + "] is a heap segment: the kernel needs native memory "
                        + "(allocate it from an Arena)");
            }
        }
        return buffers.clone();
    }
}
