package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The deadline of one request/reply connection (httpd, fileserve), on a single
 * {@link TimerEvent}: the phase the connection is in picks the timeout that runs. The timer is
 * re-armed with {@link TimerEvent#update} only when the phase changes, so a request costs a few
 * timer-heap updates and no allocation, and a peer trickling bytes does not push the deadline
 * back.
 *
 * <ul>
 *   <li>{@link Phase#IDLE}: waiting for the first byte of the next request.
 *   <li>{@link Phase#REQUEST}: a request has started and is not complete; a whole-request deadline
 *       counted from when the phase was entered (its first byte, or accept).
 *   <li>{@link Phase#SENDING}: a reply is on the way. It expires only when the peer has not
 *       acknowledged a single byte for the send timeout (the kernel's {@code tcpi_bytes_acked},
 *       read at the start of the reply and at each expiry): a slow but live download goes on, a
 *       peer that stopped reading is dropped after one to two send timeouts, as nginx's
 *       send_timeout counts between two writes.
 * </ul>
 *
 * Used on the loop thread only.
 */
public final class ConnectionTimer {
    /** What the connection is doing, for the timeout that applies. */
    public enum Phase { IDLE, REQUEST, SENDING, OFF }

    /** Called on the loop thread when the deadline of {@code phase} passed; the timer is then in {@link Phase#OFF}. */
    public interface Expiry {
        void expired(Phase phase);
    }

    /** {@code getsockopt(IPPROTO_TCP, TCP_INFO)}, linux/tcp.h; checked with gcc (ConnectionTimerTest). */
    static final int TCP_INFO = 11;
    /** offsetof(struct tcp_info, tcpi_bytes_acked), a u64 (since Linux 4.1). */
    static final long TCPI_BYTES_ACKED = 120;
    private static final int TCP_INFO_PREFIX = 128; // up to and including tcpi_bytes_acked
    /** Scratch size for {@link #bytesAcked(int, MemorySegment)}: the TCP_INFO prefix, then its int length. */
    static final int INFO_BYTES = TCP_INFO_PREFIX + 4;

    private final TimerEvent timer;
    private final int fd;
    private final long idleNanos, requestNanos, sendNanos;
    private final Expiry onExpiry;
    /** Scratch for TCP_INFO and its length: one per connection, reused for every reply. */
    private final MemorySegment info, infoLen;
    private Phase phase;
    private long acked;

    /**
     * A timer for the connection on {@code fd}, starting in {@code first} (accept: REQUEST for a
     * protocol whose client speaks first and should hurry, IDLE otherwise). A timeout of 0
     * turns that phase's deadline off.
     */
    public ConnectionTimer(EventLoop loop, int fd, Phase first, long idleNanos, long requestNanos, long sendNanos, Expiry onExpiry) {
        this.fd = fd;
        this.idleNanos = idleNanos;
        this.requestNanos = requestNanos;
        this.sendNanos = sendNanos;
        this.onExpiry = onExpiry;
        this.info = sendNanos > 0 ? Arena.ofAuto().allocate(INFO_BYTES, 8) : null;
        this.infoLen = sendNanos > 0 ? info.asSlice(TCP_INFO_PREFIX, 4) : null;
        this.timer = loop.addTimerAt(Long.MAX_VALUE, (t, now) -> fired(now));
        this.phase = Phase.OFF;
        enter(first);
    }

    /** The current phase. */
    public Phase phase() {
        return phase;
    }

    /** Moves to {@code p} and arms its deadline from now; nothing when already in {@code p}. */
    public void enter(Phase p) {
        if (p == phase) return;
        phase = p;
        long after = timeout(p);
        if (after <= 0) { timer.cancel(); return; }
        if (p == Phase.SENDING) acked = bytesAcked();
        timer.update(System.nanoTime() + after);
    }

    /** Disarms for good (the connection closes): a later expiry is never reported. */
    public void cancel() {
        phase = Phase.OFF;
        timer.cancel();
    }

    private long timeout(Phase p) {
        return switch (p) {
            case IDLE -> idleNanos;
            case REQUEST -> requestNanos;
            case SENDING -> sendNanos;
            case OFF -> 0;
        };
    }

    private void fired(long now) {
        Phase p = phase;
        if (p == Phase.OFF) return;
        if (p == Phase.SENDING) {
            long a = bytesAcked();
            if (a >= 0 && a != acked) { // the peer took some of the reply: it is alive, wait again
                acked = a;
                timer.update(now + sendNanos);
                return;
            }
        }
        phase = Phase.OFF;
        onExpiry.expired(p);
    }

    private long bytesAcked() {
        return bytesAcked(fd, info, infoLen);
    }

    /**
     * Bytes of the TCP socket {@code fd} the peer has acknowledged, or -1 when the kernel will
     * not say; {@code info} is scratch space of {@link #INFO_BYTES} (8-aligned) and {@code len}
     * its last 4 bytes.
     */
    static long bytesAcked(int fd, MemorySegment info, MemorySegment len) {
        len.set(ValueLayout.JAVA_INT, 0, TCP_INFO_PREFIX);
        int rc = Libc.getsockopt(fd, Libc.IPPROTO_TCP, TCP_INFO, info, len);
        if (rc < 0 || len.get(ValueLayout.JAVA_INT, 0) < TCPI_BYTES_ACKED + 8) return -1;
        return info.get(ValueLayout.JAVA_LONG, TCPI_BYTES_ACKED);
    }
}
