package dev.tevent4j.uring;

import dev.tevent4j.ring.UserData;

import java.util.Arrays;

/**
 * The uring poller's per-fd state, indexed by fd: parallel arrays (no object per fd, nothing
 * allocated per event) behind named accessors, grown together by one {@link #ensure}. Also the
 * queue of fds waiting to be re-armed, whose membership is the state {@link #REARM}.
 */
final class UringFdTable {
    /** No poll in the kernel and none queued. */
    static final byte IDLE = 0;
    /** A poll is in the kernel. */
    static final byte ARMED = 1;
    /** Queued: the next poll() arms it. */
    static final byte REARM = 2;

    private int[] interest = new int[64];
    private int[] generation = new int[64];
    private byte[] state = new byte[64];
    /** Re-arm multishot: the last completion carried nothing asked (see UringPoller). */
    private boolean[] quiet = new boolean[64];
    /** The poll() whose enter submitted the fd's poll. */
    private int[] armedAt = new int[64];
    /** The file an fd was added for (statx inode and device): a reused fd number names another. */
    private long[] ino = new long[64], dev = new long[64];
    /** The fd's last poll completion, for the diagnostics of a removal that never completes. */
    private int[] lastGen = new int[64], lastRes = new int[64], lastFlags = new int[64];

    private int[] rearm = new int[64];
    private int rearmCount;

    /** Makes room for {@code fd}. */
    void ensure(int fd) {
        if (fd < state.length) return;
        int n = Math.max(fd + 1, state.length * 2);
        interest = Arrays.copyOf(interest, n);
        generation = Arrays.copyOf(generation, n);
        state = Arrays.copyOf(state, n);
        quiet = Arrays.copyOf(quiet, n);
        armedAt = Arrays.copyOf(armedAt, n);
        ino = Arrays.copyOf(ino, n);
        dev = Arrays.copyOf(dev, n);
        lastGen = Arrays.copyOf(lastGen, n);
        lastRes = Arrays.copyOf(lastRes, n);
        lastFlags = Arrays.copyOf(lastFlags, n);
    }

    /** Whether {@code fd} has a row (a completion may name any fd number). */
    boolean holds(int fd) {
        return fd >= 0 && fd < state.length;
    }

    int interest(int fd) {
        return interest[fd];
    }

    void setInterest(int fd, int events) {
        interest[fd] = events;
    }

    int generation(int fd) {
        return generation[fd];
    }

    /** Moves the fd to its next generation: completions of the current one become stale. */
    void bumpGeneration(int fd) {
        generation[fd] = UserData.nextGeneration(generation[fd]);
    }

    byte state(int fd) {
        return state[fd];
    }

    void setState(int fd, byte s) {
        state[fd] = s;
    }

    boolean quiet(int fd) {
        return quiet[fd];
    }

    void setQuiet(int fd, boolean q) {
        quiet[fd] = q;
    }

    int armedAt(int fd) {
        return armedAt[fd];
    }

    /** The fd's poll went to the kernel with poll() number {@code pollSeq}. */
    void armed(int fd, int pollSeq) {
        state[fd] = ARMED;
        armedAt[fd] = pollSeq;
    }

    long ino(int fd) {
        return ino[fd];
    }

    long dev(int fd) {
        return dev[fd];
    }

    void setIdentity(int fd, long inode, long device) {
        ino[fd] = inode;
        dev[fd] = device;
    }

    void recordCompletion(int fd, int gen, int res, int flags) {
        lastGen[fd] = gen;
        lastRes[fd] = res;
        lastFlags[fd] = flags;
    }

    /** "generation g res r flags f" of the fd's last completion. */
    String lastCompletion(int fd) {
        return "generation " + lastGen[fd] + " res " + lastRes[fd] + " flags " + lastFlags[fd];
    }

    // ---------------------------------------------------------------- the re-arm queue

    /** Puts the fd in state REARM, queued for the next poll(). */
    void queueRearm(int fd) {
        state[fd] = REARM;
        if (rearmCount == rearm.length) rearm = Arrays.copyOf(rearm, rearmCount * 2);
        rearm[rearmCount++] = fd;
    }

    /**
     * Empties the queue and returns how many fds it held; read them with {@link #queued} before
     * the next {@link #queueRearm}. A queued fd no longer in state REARM was removed since.
     */
    int takeQueued() {
        int n = rearmCount;
        rearmCount = 0;
        return n;
    }

    int queued(int i) {
        return rearm[i];
    }
}
