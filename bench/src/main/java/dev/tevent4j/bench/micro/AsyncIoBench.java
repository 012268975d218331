package dev.tevent4j.bench.micro;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * {@link AsyncIo#nop()} through a loop: the cost of the AsyncIo machinery itself (a request, an
 * SQE or a pool job, the completion's way back to the loop) with no work in the kernel. The
 * {@code backend} parameter picks the implementation: "hybrid" (and later "uring") is the
 * io_uring ring, "epoll" the thread pool (a worker runs the op, the result comes back through
 * the loop's executor and its eventfd). {@link AsyncIoReadBench} has the same shapes for 4 KiB
 * page-cache reads.
 * <ul>
 *   <li>{@link #nopOne}: one op at a time: submit, run the loop until it completed. The latency
 *       of a lone op, loop iterations and wakeups included.
 *   <li>{@link #nopBatch64}: 64 submitted, then the loop runs until all 64 completed; the ring
 *       submits them in one io_uring_enter, the pool spreads them over its workers. Figures are
 *       per op.
 * </ul>
 * Every op returns a new {@link Request} (the API's contract), so B/op is not zero here: it is
 * the price of a request object and, on the pool, its job and the executor handoff.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AsyncIoBench {
    static final int BATCH = 64;

    /** Filled by {@link JmhMain} with every usable backend; "epoll" when run bare. */
    @Param("epoll")
    public String backend;

    private EventLoop loop;
    private AsyncIo io;
    @SuppressWarnings("unchecked")
    private final Request<Integer>[] inFlight = new Request[BATCH];

    @Setup
    public void open() {
        loop = EventLoop.open(backend);
        io = loop.io();
    }

    @TearDown
    public void close() {
        loop.close();
    }

    private int await(Request<Integer> r) {
        while (r.isInProgress()) {
            loop.runOnce();
        }
        return r.result();
    }

    @Benchmark
    public int nopOne() {
        return await(io.nop());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int nopBatch64() {
        for (int i = 0; i < BATCH; i++) inFlight[i] = io.nop();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += await(inFlight[i]);
            inFlight[i] = null;
        }
        return sum;
    }
}
