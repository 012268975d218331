package dev.tevent4j.bench.server;

import java.io.IOException;

/**
 * Starts one benchmark echo server in this process: {@code ServerMain <kind> [port]}, kind one of
 * {@code tevent4j:<backend>}, {@code tevent4j-ring:<backend>} (I/O through the io_uring AsyncIo:
 * hybrid, uring), {@code tevent4j-linked:<backend>} (the same on IoHandles, the send quiet and
 * linked to the next recv), {@code netty-epoll}, {@code netty-io_uring}, {@code nio}. Prints
 * {@code LISTENING <port>} when it accepts connections. It exits when its standard input closes,
 * so a driver that dies, however it dies, takes its servers with it. {@code ServerMain --backends}
 * lists the tevent4j backends usable here.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ServerMain tevent4j:<backend>|tevent4j-ring:<backend>|tevent4j-linked:<backend>|netty-epoll|netty-io_uring|nio [port]");
            System.exit(2);
        }
        if (args[0].equals("--backends")) {
            // The driver asks which tevent4j backends to start, so a new backend joins by itself.
            dev.tevent4j.EventLoop.backends().forEach(System.out::println);
            return;
        }
        String kind = args[0];
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        exitWhenStdinCloses();
        if (kind.startsWith("tevent4j:")) {
            // The loop belongs to the thread that opens it: this one.
            try (TeventEchoServer s = new TeventEchoServer(kind.substring("tevent4j:".length()), port)) {
                listening(s.port());
                s.run();
            }
        } else if (kind.startsWith("tevent4j-linked:")) {
            try (LinkedRingEchoServer s = new LinkedRingEchoServer(kind.substring("tevent4j-linked:".length()), port)) {
                listening(s.port());
                s.run();
            }
        } else if (kind.startsWith("tevent4j-ring:")) {
            try (RingEchoServer s = new RingEchoServer(kind.substring("tevent4j-ring:".length()), port)) {
                listening(s.port());
                s.run();
            }
        } else if (kind.equals("nio")) {
            NioEchoServer s = new NioEchoServer(port);
            listening(s.port());
            s.run();
        } else if (kind.startsWith("netty-")) {
            try (NettyEchoServer s = new NettyEchoServer(kind.substring("netty-".length()), port)) {
                listening(s.port());
                s.awaitClose();
            }
        } else {
            throw new IllegalArgumentException("unknown server kind " + kind);
        }
    }

    private static void listening(int port) {
        System.out.println("LISTENING " + port);
        System.out.flush();
    }

    private static void exitWhenStdinCloses() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // a driver sends nothing; we only wait for end of file
                }
            } catch (IOException ignored) {
                // treated as end of file
            }
            Runtime.getRuntime().halt(0);
        }, "stdin-watch");
        t.setDaemon(true);
        t.start();
    }
}
