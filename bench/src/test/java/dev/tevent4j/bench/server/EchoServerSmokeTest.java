package dev.tevent4j.bench.server;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark servers must echo correctly, or their figures mean nothing. One message over a
 * real loopback socket per server; nothing here is timed.
 */
class EchoServerSmokeTest {
    private static final byte[] MESSAGE = "tevent4j echo smoke test".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyTeventBackendServerEchoesOneMessage() throws Exception {
        for (String backend : EventLoop.backends()) {
            CompletableFuture<TeventEchoServer> started = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().name("echo-" + backend).start(() -> {
                try (TeventEchoServer s = new TeventEchoServer(backend, 0)) {
                    started.complete(s);
                    s.run();
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            TeventEchoServer server = started.get(10, TimeUnit.SECONDS);
            try {
                assertEquals(MESSAGE.length, echoOnce(server.port()).length, backend);
                assertArrayEquals(MESSAGE, echoOnce(server.port()), backend);
            } finally {
                server.stop();
                loop.join(10_000);
            }
        }
    }

    @Test
    void ringServerEchoesOnEveryIoUringBackend() throws Exception {
        int tested = 0;
        for (String backend : EventLoop.backends()) {
            try (EventLoop probe = EventLoop.open(backend)) {
                if (!probe.io().kind().equals("io_uring")) continue; // epoll: a thread pool
            }
            CompletableFuture<RingEchoServer> started = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().name("ring-echo-" + backend).start(() -> {
                try (RingEchoServer s = new RingEchoServer(backend, 0)) {
                    started.complete(s);
                    s.run();
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            RingEchoServer server = started.get(10, TimeUnit.SECONDS);
            tested++;
            try {
                assertArrayEquals(MESSAGE, echoOnce(server.port()), backend);
                assertArrayEquals(MESSAGE, echoOnce(server.port()), backend);
                assertArrayEquals(BIG, echoMany(server.port()), backend);
            } finally {
                server.stop();
                loop.join(10_000);
            }
        }
        if (tested == 0) {
            String why = "no backend with an io_uring AsyncIo is usable here: " + EventLoop.backends();
            System.out.println("SKIPPED: " + why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** 1 MiB in, read back while still writing: many messages, larger than the 64 KiB buffer. */
    private static final byte[] BIG = new byte[1 << 20];
    static {
        for (int i = 0; i < BIG.length; i++) BIG[i] = (byte) (i * 31 + (i >>> 8));
    }

    private static byte[] echoMany(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            CompletableFuture<Void> wrote = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < BIG.length; off += 10_000) {
                        out.write(BIG, off, Math.min(10_000, BIG.length - off));
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = s.getInputStream().readNBytes(BIG.length);
            wrote.get(5, TimeUnit.SECONDS);
            return back;
        }
    }

    @Test
    void nioServerEchoesOneMessage() throws Exception {
        NioEchoServer server = new NioEchoServer(0);
        Thread loop = Thread.ofPlatform().daemon().name("echo-nio").start(() -> {
            try {
                server.run();
            } catch (Exception ignored) {
                // closing on the way out; the assertion below is what matters
            }
        });
        try {
            assertArrayEquals(MESSAGE, echoOnce(server.port()));
        } finally {
            loop.interrupt(); // wakes select(), run() sees the flag and closes the sockets
            loop.join(10_000);
        }
    }

    private static byte[] echoOnce(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(MESSAGE);
            out.flush();
            InputStream in = s.getInputStream();
            return in.readNBytes(MESSAGE.length);
        }
    }
}
