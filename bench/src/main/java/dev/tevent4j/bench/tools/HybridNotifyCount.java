package dev.tevent4j.bench.tools;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.AsyncIo;
import dev.tevent4j.linux.Libc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The driver of {@code bench/hybrid-notify.sh}: the round trips of
 * {@link dev.tevent4j.bench.micro.HybridNotifyBench}, one kind at a time, on a hybrid loop whose
 * notification mode is {@code -Dtevent4j.hybrid.notify}, with a stdin handshake so that
 * {@code strace -c -f} sees exactly the measured ops:
 * <pre>
 *   HybridNotifyCount OP COUNT       OP = nop | read4k | pipeRead | nopBatch64
 *   stdout: "ready PID"   (after 2 x COUNT warm-up ops) -> waits for a line on stdin
 *           "done NS_PER_OP" (after COUNT measured ops)  -> waits for a line, then exits
 * </pre>
 */
public final class HybridNotifyCount {
    private static boolean armed;

    private HybridNotifyCount() {}

    public static void main(String[] args) throws IOException {
        String op = args[0];
        int count = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        try (EventLoop loop = EventLoop.open("hybrid"); Arena arena = Arena.ofConfined()) {
            AsyncIo io = loop.io();
            if (!"io_uring".equals(io.kind())) throw new IllegalStateException("no ring: " + io.kind());
            Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "tevent4j-notify", ".bin");
            Files.write(file, new byte[4096]);
            int fd = Libc.openat(Libc.AT_FDCWD, arena.allocateFrom(file.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            MemorySegment buf = arena.allocate(4096, 4096);
            Libc.pread(fd, buf, 4096, 0);
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            Libc.pipe2(fds, Libc.O_CLOEXEC);
            int pipeR = fds.getAtIndex(ValueLayout.JAVA_INT, 0), pipeW = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            MemorySegment one = arena.allocate(1);
            if (op.equals("pipeRead")) {
                loop.addFd(pipeW, FdEvent.WRITE, (fde, flags) -> {
                    if (armed) {
                        armed = false;
                        Libc.write(pipeW, one, 1);
                    }
                });
            }
            @SuppressWarnings("unchecked")
            Request<Integer>[] batch = new Request[64];
            Runnable once = switch (op) {
                case "nop" -> () -> await(loop, io.nop());
                case "read4k" -> () -> await(loop, io.read(fd, buf, 0));
                case "pipeRead" -> () -> {
                    Request<Integer> r = io.read(pipeR, one, -1);
                    armed = true;
                    await(loop, r);
                };
                case "nopBatch64" -> () -> {
                    for (int i = 0; i < 64; i++) batch[i] = io.nop();
                    for (int i = 0; i < 64; i++) await(loop, batch[i]);
                };
                default -> throw new IllegalArgumentException("unknown op " + op);
            };
            int runs = op.equals("nopBatch64") ? Math.max(1, count / 64) : count;
            for (int i = 0; i < 2 * runs; i++) once.run();
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            in.readLine();
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) once.run();
            long ns = System.nanoTime() - t0;
            System.out.println("done " + ns / (op.equals("nopBatch64") ? runs * 64L : runs));
            System.out.flush();
            in.readLine();
            Libc.close(fd);
            Libc.close(pipeR);
            Libc.close(pipeW);
            Files.deleteIfExists(file);
        }
    }

    private static void await(EventLoop loop, Request<Integer> r) {
        while (r.isInProgress()) loop.runOnce();
        if (r.isError()) throw new IllegalStateException(r.cause());
    }
}
