package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.TimerEvent;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** The README's 20-line daemon, compiled and tested so the README cannot drift from the API. */
public final class ReadmeDaemon {
    private ReadmeDaemon() {}

    /** Echoes what arrives on {@code fd} (a connected, non-blocking socket) until the peer goes or 30 s pass idle. */
    public static void serve(int fd) {
        // README begin
        try (EventLoop loop = EventLoop.open()) {                // default backend, or -Dtevent4j.backend=epoll
            MemorySegment buf = Arena.global().allocate(4096);
            TimerEvent idle = loop.addTimer(Duration.ofSeconds(30), (t, now) -> loop.close());
            FdEvent conn = loop.addFd(fd, FdEvent.READ | FdEvent.ERROR, (fde, flags) -> {
                long n = Libc.read(fd, buf, buf.byteSize());     // data first: it may come with the FIN
                if (n <= 0) {                                    // EOF (0) or an error (-errno)
                    fde.close();                                 // auto-close closes the fd too
                    idle.cancel();
                    return;
                }
                Libc.write(fd, buf, n);                          // echo back
                idle.update(System.nanoTime() + Duration.ofSeconds(30).toNanos());
            });
            conn.setAutoClose(true);
            loop.executor().execute(() -> System.out.println("hello from another thread's runnable"));
            loop.run();                                          // until no event is left
        }
        // README end
    }
}
