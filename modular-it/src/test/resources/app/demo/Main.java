package demo;

import dev.tevent4j.Backend;
import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * The application that ModularAppTest compiles and runs, on the module path (with
 * module-info.java beside this file) and on the class path (without it). "--list" prints
 * EventLoop.availableBackends(); a backend name (or "default") runs a timer that writes a pipe, an fd event
 * that reads it, and an AsyncIo nop, then prints what happened.
 */
public final class Main {
    public static void main(String[] args) {
        String where = Main.class.getModule().isNamed() ? "module-path" : "class-path";
        if (args[0].equals("--list")) {
            for (Backend b : EventLoop.availableBackends()) {
                System.out.println("backend " + b.name() + " usable=" + b.usable() + " reason=" + b.reason());
            }
            return;
        }
        StringBuilder seen = new StringBuilder();
        try (EventLoop loop = args[0].equals("default") ? EventLoop.open() : EventLoop.open(args[0]);
             Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            int rc = Libc.pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (rc < 0) throw new IllegalStateException("pipe2: " + rc);
            int readEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int writeEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            MemorySegment buf = arena.allocate(16);
            loop.addTimer(Duration.ofMillis(5), (te, now) -> {
                seen.append(" timer");
                buf.set(ValueLayout.JAVA_BYTE, 0, (byte) 'x');
                Libc.write(writeEnd, buf, 1);
            });
            loop.addFd(readEnd, FdEvent.READ, (fde, flags) -> {
                seen.append(" fd-read=").append(Libc.read(readEnd, buf, 16));
                fde.close();
                loop.io().nop().onComplete(r -> seen.append(" io-nop=").append(r.isError() ? r.cause() : r.result()));
            });
            loop.run();
            Libc.close(readEnd);
            Libc.close(writeEnd);
            System.out.println("app " + where + " backend=" + loop.backendName() + seen);
        }
    }
}
