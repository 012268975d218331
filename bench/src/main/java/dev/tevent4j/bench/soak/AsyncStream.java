package dev.tevent4j.bench.soak;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * AsyncIo send and recv on socketpairs carrying the {@link StreamPattern} stream. Per pair one
 * send and one recv in flight (two on one socket would race for the bytes). The sender sends
 * 1..1024 bytes at a time and pauses 0..1 ms now and then, so recvs wait for data; recvs ask
 * for 1..1024 bytes, some with a deadline of 0..500 us (shorter than the wait when the sender
 * pauses), some cancelled at once or 0..300 us later.
 *
 * <p>The rule checked: a request that failed (timed out or cancelled) consumed nothing, and one
 * that succeeded delivered what it consumed; so the bytes received form the stream without a gap
 * ({@link StreamChecker}), and every byte sent is received. Two tallies: "asyncio-rw" for the
 * requests (each completes exactly once, with an allowed outcome) and "asyncio-stream" for the
 * data, in 8-byte words.
 *
 * <p>Four pairs on every backend: more waiting recvs than the thread pool has workers, which
 * holds only because a waiting op parks on the loop's poller, not on a worker.
 */
final class AsyncStream implements Traffic {
    private static final int MAX_CHUNK = 1024;
    private static final int RECV_BUFFERS = 8;
    private static final long MAX_PAUSE = 1_000_000, MAX_DEADLINE = 500_000, MAX_CANCEL_DELAY = 300_000;

    private final Tally requests = new Tally("asyncio-rw");
    private final Tally stream = new Tally("asyncio-stream");
    private final EventLoop loop;
    private final AsyncIo io;
    private final Immediates immediates;
    private final SplittableRandom random;
    private final boolean deadlines;
    private final Arena arena = Arena.ofConfined();
    private final List<Pair> pairs = new ArrayList<>();
    private long outstanding;
    private boolean stopped;
    private boolean finished;
    private boolean settling;

    /** One socketpair: the sender writes on {@code fds[0]}, the receiver reads {@code fds[1]}. */
    private final class Pair {
        final int[] fds = SocketPairs.open();
        final MemorySegment sendBuf = arena.allocate(MAX_CHUNK);
        /** Rotated, so a recv the kernel still holds never shares memory with the next one. */
        final MemorySegment[] recvBufs = new MemorySegment[RECV_BUFFERS];
        final StreamChecker checker = new StreamChecker(stream);
        long sentBytes;
        boolean sending, paused;
        IoOp recv;
        int nextRecvBuf;

        Pair() {
            for (int i = 0; i < RECV_BUFFERS; i++) recvBufs[i] = arena.allocate(MAX_CHUNK);
        }

        void sendNext() {
            if (stopped || sending || paused) return;
            int len = 1 + random.nextInt(MAX_CHUNK);
            StreamPattern.fill(sendBuf, sentBytes, len);
            IoOp op = start(IoOp.Mode.PLAIN, io.send(fds[0], sendBuf.asSlice(0, len), 0));
            sending = true;
            op.request.onComplete(new Completion(op, this, null));
        }

        void sent(IoOp op) {
            sending = false;
            if (op.outcome() == IoOp.Outcome.SUCCEEDED) {
                int n = op.request.result();
                if (n <= 0) requests.violation("send returned " + n);
                sentBytes += Math.max(0, n);
            }
            if (random.nextInt(4) == 0 && !stopped) {
                paused = true;
                loop.addTimerAt(System.nanoTime() + random.nextLong(MAX_PAUSE + 1), (t, now) -> {
                    paused = false;
                    sendNext();
                });
            } else {
                sendNext();
            }
        }

        void recvNext() {
            if (recv != null || settling) return;
            MemorySegment buf = recvBufs[nextRecvBuf++ % RECV_BUFFERS].asSlice(0, 1 + random.nextInt(MAX_CHUNK));
            IoOp.Mode mode = IoOp.pick(random, deadlines);
            IoOp op = start(mode, io.recv(fds[1], buf, 0));
            recv = op;
            switch (mode) {
                case DEADLINE -> op.request.setEndTime(System.nanoTime() + random.nextLong(MAX_DEADLINE + 1));
                case CANCEL_NOW -> op.cancel();
                case CANCEL_LATER -> loop.addTimerAt(System.nanoTime() + random.nextLong(MAX_CANCEL_DELAY + 1), (t, now) -> {
                    if (op.request.isInProgress()) op.cancel();
                });
                case PLAIN -> { }
            }
            op.request.onComplete(new Completion(op, this, buf));
        }

        void received(IoOp op, MemorySegment buf) {
            recv = null;
            if (op.outcome() == IoOp.Outcome.SUCCEEDED) {
                int n = op.request.result();
                if (n <= 0) {
                    requests.violation("recv returned " + (n == 0 ? "end of file" : n) + " on an open socketpair");
                } else {
                    checker.feed(buf, n);
                    if ((checker.nextWord() & 15) == 0) immediates.scheduleOne();
                }
            }
            recvNext();
        }

        boolean allReceived() {
            return !sending && checker.bytes() >= sentBytes;
        }
    }

    /** The callback of one send or recv. */
    private final class Completion implements Consumer<Request<Integer>> {
        final IoOp op;
        final Pair pair;
        /** The recv's buffer; null for a send. */
        final MemorySegment recvBuf;

        Completion(IoOp op, Pair pair, MemorySegment recvBuf) {
            this.op = op;
            this.pair = pair;
            this.recvBuf = recvBuf;
        }

        @Override
        public void accept(Request<Integer> r) {
            if (finished) return; // completed by the loop's close: already counted lost
            if (++op.completions > 1) {
                requests.duplicated++;
                requests.incident((recvBuf == null ? "send" : "recv") + " completed again: " + op);
                return;
            }
            outstanding--;
            switch (op.outcome()) {
                case SUCCEEDED -> requests.handled++;
                case WITHDRAWN -> requests.withdrawn++;
                case UNEXPECTED -> requests.violation((recvBuf == null ? "send " : "recv ") + op);
            }
            if (recvBuf == null) pair.sent(op); else pair.received(op, recvBuf);
        }
    }

    AsyncStream(EventLoop loop, Immediates immediates, SplittableRandom random, boolean deadlines) {
        this.loop = loop;
        this.io = loop.io();
        this.immediates = immediates;
        this.random = random;
        this.deadlines = deadlines;
        int count = 4;
        for (int i = 0; i < count; i++) pairs.add(new Pair());
    }

    private IoOp start(IoOp.Mode mode, Request<Integer> r) {
        outstanding++;
        requests.sent++;
        return new IoOp(mode, r);
    }

    @Override
    public List<Tally> tallies() {
        return List.of(requests, stream);
    }

    @Override
    public void start() {
        for (Pair p : pairs) {
            p.recvNext();
            p.sendNext();
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean drained() {
        for (Pair p : pairs) {
            if (!p.allReceived()) return false;
        }
        return true;
    }

    /** The recvs left waiting for data that will not come are cancelled. */
    @Override
    public void settle() {
        settling = true;
        for (Pair p : pairs) {
            if (p.recv != null && p.recv.request.isInProgress()) p.recv.cancel();
        }
    }

    @Override
    public boolean settled() {
        return outstanding == 0;
    }

    @Override
    public void finish() {
        finished = true;
        requests.lost += outstanding;
        for (Pair p : pairs) {
            long words = p.sentBytes / 8;
            stream.sent += words;
            // Gaps are counted lost already; so is what was sent after the last word received.
            stream.lost += Math.max(0, words - p.checker.nextWord());
            if (p.checker.bytes() != p.sentBytes) {
                stream.incident("pair " + pairs.indexOf(p) + ": " + p.sentBytes + " bytes sent, "
                        + p.checker.bytes() + " received");
            }
        }
    }

    /** Bytes sent and received over every pair, for the report. */
    long[] bytes() {
        long sent = 0, received = 0;
        for (Pair p : pairs) {
            sent += p.sentBytes;
            received += p.checker.bytes();
        }
        return new long[] {sent, received};
    }

    @Override
    public void close() {
        for (Pair p : pairs) SocketPairs.close(p.fds);
        arena.close();
    }
}
