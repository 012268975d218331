package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.RequestProfile;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j profile}: runs one small request chain with request profiling on and
 * prints its profile tree (tevent_req_profile_print's format): a wakeup, then an AsyncIo
 * openat + read + close of a file, then a nested request with a sub-request of its own.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Run one request chain (a wakeup, an AsyncIo read of a file, a nested request) with request"
                + " profiling on and print its profile tree: one line per request, sub-requests indented,"
                + " [name] +start -> +stop [duration] -> STATE (errno), seconds from the chain's start."})
public final class ProfileCommand implements Callable<Integer> {
    @Option(names = "--backend", description = "Backend (default: -Dtevent4j.backend, $TEVENT4J_BACKEND, else the default).")
    String backend;
    @Option(names = "--file", description = "File to read (default: a temporary file of 4 KiB).")
    Path file;
    @Option(names = "--wait-ms", defaultValue = "5", description = "How long the wakeup waits (default: ${DEFAULT-VALUE}).")
    long waitMillis;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (waitMillis < 0) throw new IllegalArgumentException("--wait-ms must be >= 0, got " + waitMillis);
        BackendChoice be = BackendChoice.resolve(backend);
        Path temp = null;
        Path path = file;
        if (path == null) {
            temp = Files.createTempFile("tevent4j-profile", ".bin");
            Files.write(temp, new byte[4096]);
            path = temp;
        } else if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("--file " + path + ": not a readable file");
        }
        try (EventLoop loop = be.open(); Arena arena = Arena.ofConfined()) {
            Request.enableProfiling(loop);
            Request<Integer> chain = ProfiledChain.start(loop, arena, path, Duration.ofMillis(waitMillis));
            int read = chain.await();
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.print(chain.profile().print());
            out.println("read " + read + " bytes of " + path + " on the " + loop.backendName() + " backend");
            out.flush();
            return 0;
        } finally {
            if (temp != null) Files.deleteIfExists(temp);
        }
    }

    /** The chain: each step a sub-request of the chain, so its profile is one of the chain's subprofiles. */
    static final class ProfiledChain {
        private ProfiledChain() {}

        /** Starts the chain; it completes with the number of bytes read. */
        static Request<Integer> start(EventLoop loop, Arena arena, Path path, Duration wait) {
            Request<Integer> chain = Request.create(loop, "profile chain");
            Request<Long> wakeup = Request.createChild(chain, "wakeup");
            Request<Long> timer = Request.wakeup(loop, System.nanoTime() + wait.toNanos());
            timer.onComplete(t -> forward(t, wakeup));
            wakeup.onComplete(w -> {
                if (w.isError()) { chain.error(w.cause()); return; }
                Request<Integer> read = readFile(chain, arena, path);
                read.onComplete(r -> {
                    if (r.isError()) { chain.error(r.cause()); return; }
                    Request<Void> nested = nested(chain, wait);
                    nested.onComplete(n -> {
                        if (n.isError()) chain.error(n.cause()); else chain.done(r.result());
                    });
                });
            });
            return chain;
        }

        /** openat, read and close through AsyncIo, under one sub-request "read file". */
        private static Request<Integer> readFile(Request<?> parent, Arena arena, Path path) {
            EventLoop loop = parent.loop();
            Request<Integer> step = Request.createChild(parent, "read file");
            MemorySegment buf = arena.allocate(64 * 1024);
            loop.io().openat(Libc.AT_FDCWD, path.toString(), Libc.O_RDONLY, 0).onComplete(open -> {
                if (open.isError()) { step.error(open.cause()); return; }
                int fd = open.result();
                loop.io().read(fd, buf, 0).onComplete(read -> loop.io().close(fd).onComplete(closed -> {
                    if (read.isError()) step.error(read.cause()); else step.done(read.result());
                }));
            });
            return step;
        }

        /** A request with a sub-request of its own: "nested" waits for "inner wakeup". */
        private static Request<Void> nested(Request<?> parent, Duration wait) {
            Request<Void> nested = Request.createChild(parent, "nested");
            Request<Long> inner = Request.createChild(nested, "inner wakeup");
            Request<Long> timer = Request.wakeup(parent.loop(), System.nanoTime() + wait.toNanos());
            timer.onComplete(t -> forward(t, inner));
            inner.onComplete(i -> {
                if (i.isError()) nested.error(i.cause()); else nested.done(null);
            });
            return nested;
        }

        private static <T> void forward(Request<T> from, Request<T> to) {
            if (from.isError()) to.error(from.cause()); else to.done(from.result());
        }
    }
}
